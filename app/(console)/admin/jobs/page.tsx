import { notFound } from 'next/navigation';
import { requirePageActor } from '@/lib/auth/current-user';
import { can } from '@/lib/auth/permissions';
import { listJobs, type JobStatus } from '@/lib/jobs/status';
import { PageHeader } from '@/components/ui/page-header';
import { EmptyState } from '@/components/ui/empty-state';
import { CopyButton } from '@/components/ui/copy-button';
import { RunJobButton } from '@/components/jobs/run-job-button';

export const dynamic = 'force-dynamic';
export const metadata = { title: 'Jobs' };

const STATE_STYLE: Record<JobStatus['state'], string> = {
  running: 'bg-indigo-100 text-indigo-800 dark:bg-indigo-950 dark:text-indigo-300',
  ok: 'bg-emerald-100 text-emerald-800 dark:bg-emerald-950 dark:text-emerald-300',
  failing: 'bg-red-100 text-red-800 dark:bg-red-950 dark:text-red-300',
  'never run': 'bg-zinc-100 text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300',
};

const time = (iso: string | null) => (iso ? new Date(iso).toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'medium' }) : '—');

function duration(run: NonNullable<JobStatus['lastRun']>): string | null {
  if (!run.startedAt || !run.completedAt) return null;
  const ms = Date.parse(run.completedAt) - Date.parse(run.startedAt);
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** The error of a failed run, or null. */
function failure(run: JobStatus['lastRun']): string | null {
  if (!run || run.state !== 'failed') return null;
  const out = run.output as { message?: unknown; value?: { message?: unknown } } | null;
  return String(out?.message ?? out?.value?.message ?? 'failed');
}

export default async function JobsPage() {
  const actor = await requirePageActor();
  if (!can(actor, 'settings:manage')) notFound();
  const jobs = await listJobs(actor);
  const neverRan = jobs.every((j) => j.state === 'never run');
  return (
    <>
      <PageHeader title="Background jobs" />
      {neverRan ? (
        <div className="mb-6">
          <EmptyState title="No job has run yet">
            Jobs run in the worker process. <code>npm start</code> starts one beside the web server; run more with <code>npm run worker</code> (they share the work).
          </EmptyState>
        </div>
      ) : null}
      <div className="overflow-x-auto">
        <table className="w-full text-left text-sm" data-testid="jobs-table">
          <thead className="text-zinc-500">
            <tr><th className="py-2">Job</th><th>State</th><th>Last run</th><th>Next run</th><th title="queued / running / failed in the last day">Queue</th><th /></tr>
          </thead>
          <tbody>
            {jobs.map((j) => {
              const error = failure(j.lastRun);
              return (
                <tr key={j.name} className="border-t border-zinc-200 align-top dark:border-zinc-800">
                  <td className="py-2 pr-4">
                    <span className="inline-flex items-center gap-2"><span className="font-mono text-xs font-medium">{j.name}</span><CopyButton value={j.name} /></span>
                    <p className="mt-1 max-w-md text-xs text-zinc-600 dark:text-zinc-400">{j.description}</p>
                    <p className="mt-1 text-xs text-zinc-500">
                      {j.schedule ? <>cron <code>{j.schedule}</code> (UTC) · </> : null}
                      {j.concurrency > 1 ? `${j.concurrency} at once per worker · ` : null}
                      retries {j.retryLimit}{j.expireInSeconds ? ` · expires after ${j.expireInSeconds} s` : ''}
                    </p>
                  </td>
                  <td><span className={`rounded px-2 py-0.5 text-xs font-medium ${STATE_STYLE[j.state]}`}>{j.state}</span></td>
                  <td className="pr-4 text-xs">
                    {j.lastRun ? (
                      <>
                        <div>{time(j.lastRun.startedAt)}</div>
                        <div className="text-zinc-500">{j.lastRun.state}{duration(j.lastRun) ? ` in ${duration(j.lastRun)}` : ''}</div>
                        {error ? <p className="mt-1 max-w-64 text-red-600 dark:text-red-400">{error}</p> : null}
                      </>
                    ) : '—'}
                  </td>
                  <td className="pr-4 text-xs">{j.nextRunAt ? time(j.nextRunAt) : j.schedule ? '—' : 'when queued'}</td>
                  <td className="pr-4 text-xs tabular-nums">{j.counts.queued} / {j.counts.active} / <span className={j.counts.failedLastDay ? 'text-red-600 dark:text-red-400' : ''}>{j.counts.failedLastDay}</span></td>
                  <td>{j.runnable ? <RunJobButton name={j.name} /> : null}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </>
  );
}
