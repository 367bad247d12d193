'use client';
// Helps install the widget: creates a "tracker only" API token (it can do nothing else), then offers
// the userscript and a bookmarklet carrying that token.
import { useState } from 'react';
import { useRouter } from 'next/navigation';
import { buttonClass, inputClass } from '@/components/ui/form';
import { CopyButton } from '@/components/ui/copy-button';
import { callApi, errorMessage } from '@/components/ui/api';
import { buildBookmarklet, type WidgetKeys } from '@/lib/tracker/widget-core';

export function WidgetSetup({ matches, keys }: { matches: string[]; keys: WidgetKeys }) {
  const [token, setToken] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const origin = typeof window === 'undefined' ? '' : window.location.origin;

  async function create() {
    setPending(true);
    setError(null);
    try {
      // Creating a token needs a recent sign-in: callApi asks for the password when the server says so.
      const body = await callApi<{ token: string }>('/api/tokens', { method: 'POST', body: { name: `Tracker widget ${new Date().toLocaleDateString()}`, scopes: ['tracker'] } });
      setToken(body.token);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setPending(false);
    }
  }

  const bookmarklet = token ? buildBookmarklet(origin, token, keys) : null;
  return (
    <section className="space-y-3 rounded-xl border border-zinc-200 p-4 dark:border-zinc-800" aria-labelledby="widget-setup">
      <h2 id="widget-setup" className="text-lg font-semibold">Browser widget</h2>
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        Track items on any site with <kbd>{keys.next.toUpperCase()}</kbd> next, <kbd>{keys.pause.toUpperCase()}</kbd> pause, <kbd>{keys.undo.toUpperCase()}</kbd> undo, <kbd>{keys.exit.toUpperCase()}</kbd> exit. It shows the current item’s timer, your item count and pace, and queues presses while offline.
      </p>
      <ol className="list-decimal space-y-2 pl-5 text-sm">
        <li>
          <button type="button" className={buttonClass} onClick={create} disabled={pending}>
            {token ? 'Create another tracker token' : 'Create a tracker-only token'}
          </button>{' '}
          <span className="text-zinc-500">It can only send tracker events; revoke it on your account page.</span>
          {error ? <p className="mt-1 text-red-600 dark:text-red-400" role="alert">{error}</p> : null}
          {token ? (
            <div className="mt-2 flex flex-wrap items-center gap-2 rounded-md border border-amber-300 bg-amber-50 p-2 dark:border-amber-700 dark:bg-amber-950" data-testid="tracker-token">
              <code className="break-all font-mono text-xs">{token}</code>
              <CopyButton value={token} />
              <span className="text-xs">Copy it now: it is not shown again.</span>
            </div>
          ) : null}
        </li>
        <li>
          Userscript (Tampermonkey, Violentmonkey): <a className="text-indigo-600 hover:underline dark:text-indigo-400" href="/tracker/widget.user.js">install widget.user.js</a>, then paste the token when it asks (or from its menu, “Set Marquee token”).
        </li>
        <li>
          Or a bookmarklet (the site must be listed in <code>TRACKER_ALLOWED_ORIGINS</code>):{' '}
          {bookmarklet ? (
            <>
              {/* React blocks javascript: hrefs, so the link gets its href after mount via ref. */}
              <a
                ref={(el) => {
                  if (el) el.setAttribute('href', bookmarklet);
                }}
                className="rounded border border-indigo-400 px-2 py-0.5 text-indigo-600 dark:text-indigo-400"
                data-testid="bookmarklet"
                onClick={(e) => e.preventDefault()}
              >
                Marquee tracker
              </a>{' '}
              <span className="text-zinc-500">drag it to your bookmarks bar, or</span> <CopyButton value={bookmarklet} label="Copy bookmarklet" />
            </>
          ) : (
            <span className="text-zinc-500">create a token first.</span>
          )}
        </li>
      </ol>
      <WidgetSettingsForm matches={matches} keys={keys} />
    </section>
  );
}

/** Sites the userscript runs on and its keys; reinstall the userscript (or recreate the bookmarklet) after a change. */
function WidgetSettingsForm({ matches, keys }: { matches: string[]; keys: WidgetKeys }) {
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const router = useRouter();
  return (
    <form
      className="space-y-3 border-t border-zinc-200 pt-3 dark:border-zinc-800"
      aria-label="Widget settings"
      onSubmit={async (e) => {
        e.preventDefault();
        const f = new FormData(e.currentTarget);
        const body = {
          matches: String(f.get('matches') ?? '').split('\n').map((l) => l.trim()).filter(Boolean),
          keys: { next: f.get('next'), pause: f.get('pause'), undo: f.get('undo'), exit: f.get('exit') },
        };
        try {
          await callApi('/api/tracker/settings', { method: 'PUT', body });
          setMessage({ ok: true, text: 'Saved. Reinstall the userscript (or create a new bookmarklet) to use them.' });
          router.refresh();
        } catch (err) {
          setMessage({ ok: false, text: errorMessage(err) });
        }
      }}
    >
      <h3 className="font-medium">Widget settings</h3>
      <label className="block space-y-1 text-sm">
        <span className="block font-medium">Sites the userscript runs on (one @match pattern per line)</span>
        <textarea name="matches" rows={3} defaultValue={matches.join('\n')} className={`${inputClass} font-mono`} />
      </label>
      <div className="flex flex-wrap gap-3">
        {(['next', 'pause', 'undo', 'exit'] as const).map((k) => (
          <label key={k} className="space-y-1 text-sm">
            <span className="block font-medium capitalize">{k} key</span>
            <input name={k} defaultValue={keys[k]} maxLength={1} required className={`${inputClass} w-16 text-center font-mono`} />
          </label>
        ))}
      </div>
      <button type="submit" className={buttonClass}>Save widget settings</button>
      {message ? <p role={message.ok ? 'status' : 'alert'} className={`text-sm ${message.ok ? 'text-emerald-700 dark:text-emerald-400' : 'text-red-600 dark:text-red-400'}`}>{message.text}</p> : null}
    </form>
  );
}
