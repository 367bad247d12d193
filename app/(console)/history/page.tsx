import Link from 'next/link';
import { requirePageActor } from '@/lib/auth/current-user';
import { assertCan, can, serverScope } from '@/lib/auth/permissions';
import { db } from '@/lib/db';
import { historyQuerySchema, listPlays, type PlayRow } from '@/lib/history/read';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { inputClass, buttonClass } from '@/components/ui/form';
import { ExportButton } from '@/components/history/export-button';
import { TautulliPanel } from '@/components/history/tautulli-panel';
import { formatDuration } from '@/components/history/format';

export const dynamic = 'force-dynamic';
export const metadata = { title: 'History' };

type SP = Promise<Record<string, string | string[] | undefined>>;

const FILTERS = ['from', 'to', 'serverId', 'library', 'mediaUser', 'mediaType', 'decision', 'completed', 'q', 'order'] as const;

function episodeLabel(p: PlayRow): string {
  if (p.mediaType === 'episode' && p.grandparentTitle) return `${p.grandparentTitle} · S${p.parentIndex ?? '?'}E${p.index ?? '?'} · ${p.title}`;
  if (p.grandparentTitle) return `${p.grandparentTitle} · ${p.title}`;
  return p.title;
}

export default async function HistoryPage({ searchParams }: { searchParams: SP }) {
  const actor = await requirePageActor();
  assertCan(actor, 'history:view');
  const raw = Object.fromEntries(Object.entries(await searchParams).filter(([k, v]) => typeof v === 'string' && v !== '' && ([...FILTERS, 'cursor'] as string[]).includes(k))) as Record<string, string>;
  const parsed = historyQuerySchema.safeParse(raw);
  const query = parsed.success ? parsed.data : historyQuerySchema.parse({});
  const { plays, nextCursor } = await listPlays(actor, query);
  const servers = await db.mediaServer.findMany({ where: serverScope(actor), select: { id: true, name: true }, orderBy: { name: 'asc' } });
  const filters = Object.fromEntries(Object.entries(raw).filter(([k]) => k !== 'cursor'));
  const filtered = Object.keys(filters).length > 0;
  const next = nextCursor ? `/history?${new URLSearchParams({ ...filters, cursor: nextCursor })}` : null;
  return (
    <>
      <PageHeader title="History">
        <ExportButton query={new URLSearchParams(filters).toString()} />
      </PageHeader>
      {!parsed.success ? <p role="alert" className="mb-4 text-sm text-red-600 dark:text-red-400">Some filters were not valid and were ignored: {parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}</p> : null}
      <form method="get" action="/history" className="mb-6 grid grid-cols-2 gap-3 md:grid-cols-5" aria-label="Filter plays">
        <label className="text-sm">Title<input name="q" defaultValue={raw.q ?? ''} className={inputClass} placeholder="Search titles" /></label>
        <label className="text-sm">Media user<input name="mediaUser" defaultValue={raw.mediaUser ?? ''} className={inputClass} /></label>
        <label className="text-sm">Library<input name="library" defaultValue={raw.library ?? ''} className={inputClass} /></label>
        <label className="text-sm">From<input type="date" name="from" defaultValue={raw.from ?? ''} className={inputClass} /></label>
        <label className="text-sm">To<input type="date" name="to" defaultValue={raw.to ?? ''} className={inputClass} /></label>
        <label className="text-sm">Server
          <select name="serverId" defaultValue={raw.serverId ?? ''} className={inputClass}>
            <option value="">All servers</option>
            {servers.map((s) => <option key={s.id} value={s.id}>{s.name}</option>)}
          </select>
        </label>
        <label className="text-sm">Media type
          <select name="mediaType" defaultValue={raw.mediaType ?? ''} className={inputClass}>
            <option value="">Any</option>
            {['movie', 'episode', 'track', 'live', 'other'].map((t) => <option key={t}>{t}</option>)}
          </select>
        </label>
        <label className="text-sm">Stream
          <select name="decision" defaultValue={raw.decision ?? ''} className={inputClass}>
            <option value="">Any</option>
            {['directplay', 'directstream', 'transcode'].map((t) => <option key={t}>{t}</option>)}
          </select>
        </label>
        <label className="text-sm">Completed
          <select name="completed" defaultValue={raw.completed ?? ''} className={inputClass}>
            <option value="">Any</option>
            <option value="true">Completed</option>
            <option value="false">Not completed</option>
          </select>
        </label>
        <label className="text-sm">Sort
          <select name="order" defaultValue={raw.order ?? 'desc'} className={inputClass}>
            <option value="desc">Newest first</option>
            <option value="asc">Oldest first</option>
          </select>
        </label>
        <div className="col-span-2 flex gap-2 md:col-span-5">
          <button type="submit" className={buttonClass}>Apply filters</button>
          {filtered ? <Link href="/history" className="rounded-md px-4 py-2 text-sm underline">Clear</Link> : null}
        </div>
      </form>
      {plays.length === 0 ? (
        filtered ? (
          <EmptyState title="No plays match these filters">Widen the date range or clear a filter.</EmptyState>
        ) : (
          <EmptyState title="No plays yet" action={can(actor, 'servers:manage') ? { href: '/servers', label: 'Connect a server' } : undefined}>
            Plays appear here once someone watches something on a connected server (the poller sees it within one poll interval; media-server webhooks make it instant). Coming from Tautulli? An admin can import its history below.
          </EmptyState>
        )
      ) : (
        <div className="overflow-x-auto rounded-lg border border-zinc-200 dark:border-zinc-800">
          <table className="w-full text-left text-sm" data-testid="history-table">
            <thead className="bg-zinc-50 text-xs uppercase text-zinc-500 dark:bg-zinc-900">
              <tr>
                <th className="px-3 py-2">Started</th><th className="px-3 py-2">User</th><th className="px-3 py-2">Title</th><th className="px-3 py-2">Server</th>
                <th className="px-3 py-2">Player</th><th className="px-3 py-2">Stream</th><th className="px-3 py-2">Watched</th><th className="px-3 py-2">Progress</th>
              </tr>
            </thead>
            <tbody>
              {plays.map((p) => (
                <tr key={p.id} className="border-t border-zinc-200 dark:border-zinc-800">
                  <td className="whitespace-nowrap px-3 py-2"><time dateTime={p.startedAt}>{p.startedAt.replace('T', ' ').slice(0, 16)}</time></td>
                  <td className="px-3 py-2">{p.mediaUser ?? '—'}</td>
                  <td className="px-3 py-2"><Link className="underline" href={`/history/${p.id}`}>{episodeLabel(p)}</Link>{p.stoppedAt ? null : <span className="ml-2 rounded bg-green-600 px-1.5 text-xs text-white">playing</span>}</td>
                  <td className="px-3 py-2">{p.serverName}</td>
                  <td className="px-3 py-2">{p.player ?? '—'}</td>
                  <td className="px-3 py-2">{p.decision ?? '—'}</td>
                  <td className="px-3 py-2">{formatDuration(p.watchedS)}</td>
                  <td className="px-3 py-2">{p.progressPct === null ? '—' : `${Math.round(p.progressPct)} %`}{p.completed ? ' ✓' : ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <nav className="mt-4 flex gap-3 text-sm" aria-label="Pages">
        {raw.cursor ? <Link className="underline" href={`/history?${new URLSearchParams(filters)}`}>First page</Link> : null}
        {next ? <Link className="underline" href={next}>Next page →</Link> : null}
      </nav>
      {can(actor, 'history:import') ? <TautulliPanel /> : null}
    </>
  );
}
