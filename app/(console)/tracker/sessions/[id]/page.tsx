import Link from 'next/link';
import { notFound } from 'next/navigation';
import { requirePageActor } from '@/lib/auth/current-user';
import { isAppError } from '@/lib/http/errors';
import { getSessionSummary, safeTimezone } from '@/lib/tracker';
import { PageHeader } from '@/components/ui/page-header';
import { StatCards } from '@/components/tracker/stat-cards';
import { DeleteItemButton, SessionControls } from '@/components/tracker/session-actions';

export const dynamic = 'force-dynamic';
export const metadata = { title: 'Tracker session' };

export default async function TrackerSessionPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requirePageActor();
  const { id } = await params;
  const s = await getSessionSummary(actor, id).catch((e: unknown) => {
    if (isAppError(e) && e.status === 404) notFound();
    throw e;
  });
  const tz = safeTimezone(actor.timezone);
  const time = (iso: string) => new Date(iso).toLocaleTimeString('en-GB', { timeZone: tz });
  return (
    <div className="space-y-6">
      <PageHeader title={`Session of ${new Date(s.startedAt).toLocaleString('en-GB', { timeZone: tz, dateStyle: 'medium', timeStyle: 'short' })}`}>
        <Link className="text-sm text-indigo-600 hover:underline dark:text-indigo-400" href="/tracker">
          ← Tracker
        </Link>
      </PageHeader>
      <p className="text-sm text-zinc-500">{s.open ? (s.paused ? 'Open, paused.' : 'Open: the current item is still running.') : `Ended ${time(s.endedAt!)}.`}</p>
      <StatCards s={{ ...s, items: s.itemCount }} />
      <SessionControls sessionId={s.id} open={s.open} targetS={s.targetS} hasItems={s.items.length > 0} />
      {s.items.length === 0 ? (
        <p className="rounded-lg border border-dashed border-zinc-300 p-6 text-sm text-zinc-600 dark:border-zinc-700 dark:text-zinc-400">No item closed yet: press Next when you finish the first one.</p>
      ) : (
        <table className="w-full text-left text-sm" data-testid="item-table">
          <thead className="text-xs uppercase text-zinc-500">
            <tr>
              <th className="py-2">#</th>
              <th>Started</th>
              <th>Ended</th>
              <th>Raw</th>
              <th>Active</th>
              <th>Paused</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {s.items.map((i) => (
              <tr key={i.index} className={`border-t border-zinc-200 dark:border-zinc-800 ${i.ghost ? 'text-zinc-400' : ''}`}>
                <td className="py-2">{i.index}</td>
                <td>{time(i.startedAt)}</td>
                <td>{time(i.endedAt)}</td>
                <td className="font-mono">{i.rawMmss}</td>
                <td className="font-mono">
                  {i.activeMmss}
                  {i.ghost ? <span className="ml-2 text-xs" title="Under a second of active time: left out of the summary">ghost</span> : null}
                </td>
                <td className="font-mono">{i.pausedS ? `${Math.round(i.pausedS)} s` : '—'}</td>
                <td className="text-right">
                  <DeleteItemButton sessionId={s.id} index={i.index} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
