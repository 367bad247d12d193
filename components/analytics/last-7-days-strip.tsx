// The dashboard's compact "last 7 days": plays, watch time, the top 5 users and the top 5 items
// (movies and shows together), each linking to its history, and a way into /analytics.
import Link from 'next/link';
import { formatCount, formatPlays, formatWatchTime } from './format';
import { topRowHref, type LinkScope } from './links';
import { topItems } from './top-items';
import type { AnalyticsReport, TopKey } from './types';

function MiniList({ title, rows, testId }: { title: string; rows: { key: string; name: string; plays: number; href?: string; hint?: string }[]; testId: string }) {
  return (
    <div className="min-w-0">
      <h3 className="text-xs uppercase tracking-wide text-zinc-500 dark:text-zinc-400">{title}</h3>
      {rows.length === 0 ? (
        <p className="mt-1 text-sm text-zinc-500 dark:text-zinc-400">None yet.</p>
      ) : (
        <ol className="mt-1 space-y-0.5 text-sm" data-testid={testId}>
          {rows.map((r) => (
            <li key={r.key} className="flex justify-between gap-2">
              <span className="truncate" title={r.name}>
                {r.href ? (
                  <Link href={r.href} className="hover:underline">
                    {r.name}
                  </Link>
                ) : (
                  r.name
                )}
                {r.hint ? <span className="ml-1 text-xs text-zinc-500 dark:text-zinc-400">{r.hint}</span> : null}
              </span>
              <span className="shrink-0 tabular-nums text-zinc-600 dark:text-zinc-300">{formatPlays(r.plays)}</span>
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}

export function Last7DaysStrip({ report }: { report: Pick<AnalyticsReport, 'range' | 'summary' | 'top'> }) {
  const scope: LinkScope = { from: report.range.from, to: report.range.to };
  const link = (kind: TopKey, name: string | null) => topRowHref(kind, name, scope);
  return (
    <section aria-labelledby="last-7-days-h" className="mb-6 rounded-lg border border-zinc-200 p-4 dark:border-zinc-800" data-testid="last-7-days">
      <div className="mb-3 flex items-center justify-between gap-2">
        <h2 id="last-7-days-h" className="text-lg font-semibold">
          Last 7 days
        </h2>
        <Link href="/analytics" className="text-sm text-indigo-700 hover:underline dark:text-indigo-300">
          Open analytics →
        </Link>
      </div>
      <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
        <div>
          <p className="text-xs uppercase tracking-wide text-zinc-500 dark:text-zinc-400">Plays</p>
          <p className="text-2xl font-semibold tabular-nums" data-testid="last-7-days-plays">
            {formatCount(report.summary.plays)}
          </p>
        </div>
        <div>
          <p className="text-xs uppercase tracking-wide text-zinc-500 dark:text-zinc-400">Watch time</p>
          <p className="text-2xl font-semibold tabular-nums">{formatWatchTime(report.summary.watchTimeS)}</p>
        </div>
        <MiniList
          title="Top users"
          testId="last-7-days-users"
          rows={report.top.users.slice(0, 5).map((u, i) => ({ key: `${i}-${u.name}`, name: u.name ?? 'Unknown', plays: u.plays, href: link('users', u.name) }))}
        />
        <MiniList
          title="Top items"
          testId="last-7-days-items"
          rows={topItems(report.top, 5).map((t, i) => ({
            key: `${i}-${t.kind}-${t.name}`,
            name: t.name ?? 'Unknown',
            plays: t.plays,
            href: link(t.kind, t.name),
            hint: t.kind === 'shows' ? 'show' : 'movie',
          }))}
        />
      </div>
    </section>
  );
}
