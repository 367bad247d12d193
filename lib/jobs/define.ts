// Jobs are declared as data (name, payload schema, queue policy, retries, schedule) with a typed
// enqueue(); the worker registers a handler per job (lib/jobs/runner.ts), which parses the payload
// again before calling the domain function. Every job is declared in lib/jobs/definitions.ts.
import type PgBoss from 'pg-boss';
import type { z } from 'zod';
import { ensureQueue, getBoss } from './boss';
import { logger, errorFields } from '../logger';

/** Queue options that are also per-job send options (so a changed default applies to new jobs). */
const SEND_KEYS = ['retryLimit', 'retryDelay', 'retryBackoff', 'expireInSeconds', 'retentionMinutes'] as const;

export interface JobSchedule {
  /** Five-field cron, UTC. pg-boss checks schedules every 30 s, so one minute is the finest. */
  cron: string;
  /** The payload each run gets. */
  data?: object;
}

export interface JobSpec<S extends z.ZodType> {
  name: string;
  /** One sentence for the admin's jobs page. */
  description: string;
  schema: S;
  queue?: Omit<PgBoss.Queue, 'name'>;
  /** Recurring work: pg-boss sends the job on this cron (from whichever worker's clock ticks first). */
  schedule?: JobSchedule;
  /** Jobs one worker runs at once. */
  concurrency?: number;
  /** The payload of an admin's "run now"; absent when the job only makes sense for one row (a video, a server). */
  runNowData?: z.input<S>;
}

export interface JobDefinition<S extends z.ZodType> extends JobSpec<S> {
  enqueue(data: z.input<S>, opts?: PgBoss.SendOptions): Promise<string | null>;
  /** Registers a plain pg-boss handler (one job at a time); the worker uses the runner instead. */
  work(
    boss: PgBoss,
    handler: (data: z.output<S>, job: PgBoss.Job<unknown>) => Promise<void>,
    opts?: PgBoss.WorkOptions,
  ): Promise<string>;
}

/** The send defaults of a definition's queue options. */
export function sendDefaults(queue: Omit<PgBoss.Queue, 'name'> = {}): PgBoss.SendOptions {
  const out: Record<string, unknown> = {};
  for (const k of SEND_KEYS) if (queue[k] !== undefined) out[k] = queue[k];
  return out as PgBoss.SendOptions;
}

export function defineJob<S extends z.ZodType>(def: JobSpec<S>): JobDefinition<S> {
  return {
    ...def,
    async enqueue(data, opts = {}) {
      const boss = await getBoss();
      await ensureQueue(boss, def.name, def.queue);
      return boss.send(def.name, def.schema.parse(data) as object, { ...sendDefaults(def.queue), ...opts });
    },
    async work(boss, handler, opts = {}) {
      await ensureQueue(boss, def.name, def.queue);
      return boss.work(def.name, { batchSize: 1, pollingIntervalSeconds: 1, ...opts }, async (jobs) => {
        for (const job of jobs as PgBoss.Job<unknown>[]) {
          const data = def.schema.parse(job.data);
          try {
            await handler(data, job);
          } catch (err) {
            logger.error(`job ${def.name} failed`, { jobId: job.id, ...errorFields(err) });
            throw err;
          }
        }
      });
    },
  };
}
