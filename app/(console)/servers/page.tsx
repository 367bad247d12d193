import Link from 'next/link';
import { requirePageActor } from '@/lib/auth/current-user';
import { assertCan, can } from '@/lib/auth/permissions';
import { listRules, listServers } from '@/lib/servers';
import { PageHeader } from '@/components/ui/page-header';
import { HealthBadge } from '@/components/servers/health-badge';
import { ServerForm } from '@/components/servers/server-form';
import { ServerRowActions } from '@/components/servers/server-row-actions';
import { RulesPanel } from '@/components/servers/rules-panel';

export const dynamic = 'force-dynamic';
export const metadata = { title: 'Servers' };

export default async function ServersPage() {
  const actor = await requirePageActor();
  assertCan(actor, 'servers:view');
  const servers = await listServers(actor);
  const manage = can(actor, 'servers:manage');
  const { rules, firings } = await listRules(actor);
  const names = new Map(servers.map((s) => [s.id, s.name]));
  const visibleFirings = firings.filter((f) => names.has(f.serverId));
  return (
    <div className="space-y-8">
      <PageHeader title="Media servers" />
      {servers.length === 0 ? (
        <p className="rounded-lg border border-dashed border-zinc-300 p-6 text-sm text-zinc-600 dark:border-zinc-700 dark:text-zinc-400">
          No servers yet. {manage ? 'Add one below; no server at hand? Run `npm run fakes` and use the printed URLs and tokens.' : 'Ask an admin to add one or to assign you to one.'}
        </p>
      ) : (
        <table className="w-full text-left text-sm">
          <thead className="text-zinc-500"><tr><th className="py-2">Name</th><th>Type</th><th>URL</th><th>Health</th><th>Poll</th><th>Last poll</th>{manage ? <th /> : null}</tr></thead>
          <tbody>
            {servers.map((s) => (
              <tr key={s.id} className="border-t border-zinc-200 align-top dark:border-zinc-800">
                <td className="py-2"><Link className="font-medium text-indigo-600 hover:underline dark:text-indigo-400" href={`/servers/${s.id}`}>{s.name}</Link>{!s.enabled ? <span className="ml-2 text-xs text-zinc-500">(disabled)</span> : null}</td>
                <td className="capitalize">{s.type} {s.version ? <span className="text-xs text-zinc-500">{s.version}</span> : null}</td>
                <td className="max-w-56 truncate font-mono text-xs">{s.url}</td>
                <td><HealthBadge health={s.health} error={s.lastError} />{s.lastError ? <p className="mt-1 max-w-64 text-xs text-red-600 dark:text-red-400">{s.lastError}</p> : null}</td>
                <td>{s.pollIntervalS}s</td>
                <td className="text-xs">{s.lastPolledAt ? new Date(s.lastPolledAt).toLocaleTimeString() : '—'}</td>
                {manage ? <td><ServerRowActions id={s.id} enabled={s.enabled} pollIntervalS={s.pollIntervalS} /></td> : null}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {manage ? (<section className="space-y-2"><h2 className="text-lg font-semibold">Add a server</h2><ServerForm /></section>) : null}
      <RulesPanel
        canManage={manage}
        servers={servers.map((s) => ({ id: s.id, name: s.name }))}
        rules={rules}
        firings={visibleFirings.map((f) => ({ id: f.id, firedAt: f.firedAt.toISOString(), ok: f.ok, mediaUser: f.mediaUser, serverName: names.get(f.serverId) ?? f.serverId, ruleName: f.rule.name, detail: f.detail }))}
      />
    </div>
  );
}
