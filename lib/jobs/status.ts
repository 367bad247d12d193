// What the admin sees of the background jobs: for each job of the registry, its last run (state,
// times, output or error), what is queued and running, and when it runs next. Read from pg-boss's
// own tables, so it is true whichever worker ran what.
import parser from 'cron-parser';
import type { Actor, RequestMeta } from '../auth/actor';
import { assertCan } from '../auth/permissions';
import { recordAudit } from '../audit/record';
import { db } from '../db';
import { AppError, notFound } from '../http/errors';
import { getBoss } from './boss';
import { JOB_LIST, jobByName } from './definitions';

export type JobRunState = 'created' | 'retry' | 'active' | 'completed' | 'cancelled' | 'failed';

export interface JobRun {
  id: string;
  state: JobRunState;
  startedAt: string | null;
  completedAt: string | null;
  /** The handler's result, or the error of a failed run. */
  output: unknown;
}

export interface JobStatus {
  name: string;
  description: string;
  schedule: string | null;
  concurrency: number;
  retryLimit: number;
  expireInSeconds: number | null;
  /** Whether an admin may run it now (jobs about one video or server are queued by the app only). */
  runnable: boolean;
  /** Summary: running (a run is active), failing (the last run failed), idle, or never run. */
  state: 'running' | 'failing' | 'ok' | 'never run';
  lastRun: JobRun | null;
  nextRunAt: string | null;
  counts: { queued: number; active: number; failedLastDay: number };
}

interface RunRow {
  name: string;
  id: string;
  state: JobRunState;
  started_on: Date | null;
  completed_on: Date | null;
  output: unknown;
}

const toRun = (r: RunRow): JobRun => ({
  id: r.id,
  state: r.state,
  startedAt: r.started_on?.toISOString() ?? null,
  completedAt: r.completed_on?.toISOString() ?? null,
  output: r.output ?? null,
});

/** When the cron fires next after `now` (pg-boss sends it within its 30 s cron check). */
export function nextCronRun(cron: string, now = new Date()): Date {
  return parser.parseExpression(cron, { tz: 'UTC', currentDate: now }).next().toDate();
}

export async function listJobs(actor: Actor, now = new Date()): Promise<JobStatus[]> {
  assertCan(actor, 'settings:manage');
  await getBoss(); // creates pg-boss's schema on a database no worker has used yet
  const names = JOB_LIST.map((j) => j.name);
  const [counts, last, next] = await Promise.all([
    db.$queryRaw<{ name: string; queued: bigint; active: bigint; failed: bigint }[]>`
      SELECT name,
        count(*) FILTER (WHERE state IN ('created', 'retry')) AS queued,
        count(*) FILTER (WHERE state = 'active') AS active,
        count(*) FILTER (WHERE state = 'failed' AND completed_on > ${now.toISOString()}::timestamptz - interval '1 day') AS failed
      FROM pgboss.job WHERE name = ANY(${names}) GROUP BY name`,
    db.$queryRaw<RunRow[]>`
      SELECT DISTINCT ON (name) name, id::text, state::text AS state, started_on, completed_on, output
      FROM pgboss.job WHERE name = ANY(${names}) AND started_on IS NOT NULL
      ORDER BY name, started_on DESC`,
    db.$queryRaw<{ name: string; at: Date }[]>`
      SELECT name, min(start_after) AS at FROM pgboss.job
      WHERE name = ANY(${names}) AND state IN ('created', 'retry') GROUP BY name`,
  ]);
  // Runs older than the live table's hour are in the archive.
  const missing = names.filter((n) => !last.some((r) => r.name === n));
  const archived = missing.length
    ? await db.$queryRaw<RunRow[]>`
        SELECT DISTINCT ON (name) name, id::text, state::text AS state, started_on, completed_on, output
        FROM pgboss.archive WHERE name = ANY(${missing}) AND started_on IS NOT NULL
        ORDER BY name, started_on DESC`
    : [];
  const lastBy = new Map([...last, ...archived].map((r) => [r.name, toRun(r)]));
  const countBy = new Map(counts.map((c) => [c.name, c]));
  const nextBy = new Map(next.map((n) => [n.name, n.at]));

  return JOB_LIST.map((def) => {
    const c = countBy.get(def.name);
    const active = Number(c?.active ?? 0);
    const lastRun = lastBy.get(def.name) ?? null;
    const queuedAt = nextBy.get(def.name);
    const cronAt = def.schedule ? nextCronRun(def.schedule.cron, now) : undefined;
    const nextRun = [queuedAt, cronAt].filter((d): d is Date => !!d).sort((a, b) => a.getTime() - b.getTime())[0];
    return {
      name: def.name,
      description: def.description,
      schedule: def.schedule?.cron ?? null,
      concurrency: def.concurrency ?? 1,
      retryLimit: def.queue?.retryLimit ?? 2,
      expireInSeconds: def.queue?.expireInSeconds ?? null,
      runnable: def.runNowData !== undefined,
      state: active > 0 ? 'running' : !lastRun ? 'never run' : lastRun.state === 'failed' ? 'failing' : 'ok',
      lastRun,
      // A due job waiting for a free worker runs "now", not in the past.
      nextRunAt: nextRun ? new Date(Math.max(nextRun.getTime(), now.getTime())).toISOString() : null,
      counts: { queued: Number(c?.queued ?? 0), active, failedLastDay: Number(c?.failed ?? 0) },
    };
  });
}

/** Queues one run of a job now, on an admin's request (audited). */
export async function runJobNow(actor: Actor, name: string, meta?: Partial<RequestMeta>): Promise<{ name: string; jobId: string }> {
  assertCan(actor, 'settings:manage');
  const def = jobByName(name);
  if (!def) throw notFound('Job');
  if (def.runNowData === undefined) {
    throw new AppError('conflict', `${def.name} runs for one ${def.name.startsWith('server') ? 'server' : 'item'} at a time and is queued by Marquee itself; it cannot be run by hand.`);
  }
  const jobId = await (def.enqueue as (d: unknown) => Promise<string | null>)(def.runNowData);
  if (!jobId) throw new AppError('conflict', `A run of ${def.name} is already queued.`);
  await recordAudit({ actor, action: 'job.run', target: { type: 'job', id: def.name }, meta, detail: { jobId } });
  return { name: def.name, jobId };
}
