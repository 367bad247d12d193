// Each *arr's webhook URL with a copy button and where to paste it in that app.
import { CopyButton } from '@/components/ui/copy-button';

const APPS = [
  { key: 'sonarr', name: 'Sonarr', events: 'On Import (and On Import Complete), On Upgrade, On Rename, On Series Delete, On Episode File Delete (and for Upgrade)' },
  { key: 'radarr', name: 'Radarr', events: 'On Import, On Upgrade, On Rename, On Movie Delete, On Movie File Delete (and for Upgrade)' },
  { key: 'lidarr', name: 'Lidarr', events: 'On Release Import, On Upgrade, On Rename, On Track Retag, On Artist Delete, On Album Delete' },
  { key: 'readarr', name: 'Readarr', events: 'On Release Import, On Upgrade, On Rename, On Book Retag, On Author Delete, On Book Delete, On Book File Delete' },
] as const;

export function WebhookSetup({ urls }: { urls: Record<string, string> | null }) {
  return (
    <section aria-labelledby="webhooks-heading" className="space-y-3">
      <h2 id="webhooks-heading" className="text-lg font-semibold">Connect Sonarr, Radarr, Lidarr and Readarr</h2>
      {!urls ? (
        <p className="text-sm text-zinc-600 dark:text-zinc-400">The webhook URLs carry the install&apos;s secret: an admin can copy them from this page.</p>
      ) : null}
      <div className="grid gap-3 md:grid-cols-2">
        {APPS.map((app) => (
          <div key={app.key} className="space-y-2 rounded-lg border border-zinc-200 p-3 text-sm dark:border-zinc-800" data-testid={`webhook-${app.key}`}>
            <h3 className="font-medium">{app.name}</h3>
            {urls ? (
              <div className="flex items-center gap-2">
                <code className="min-w-0 flex-1 truncate rounded bg-zinc-100 px-2 py-1 font-mono text-xs dark:bg-zinc-800" title={urls[app.key]} data-testid={`webhook-url-${app.key}`}>
                  {urls[app.key]}
                </code>
                <CopyButton value={urls[app.key]!} label={`Copy ${app.name} URL`} />
              </div>
            ) : null}
            <ol className="list-decimal space-y-1 pl-5 text-zinc-600 dark:text-zinc-400">
              <li>In {app.name}: Settings → Connect → + → Webhook.</li>
              <li>Paste the URL above (method POST). Or use the URL without <code>?token=</code> and put the secret in the Password field (any username).</li>
              <li>Tick {app.events}; press Test (Marquee answers OK and queues nothing), then Save.</li>
            </ol>
          </div>
        ))}
      </div>
    </section>
  );
}
