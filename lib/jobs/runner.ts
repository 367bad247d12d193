// The worker's side of the registry: `runner.register(definition, handler)` creates the queue,
// upserts its cron schedule and starts consuming it. A job with `concurrency` > 1 runs on a pool
// that fetches as many due jobs as it has free slots in one query and completes each on its own,
// so one slow job never holds back the others (pg-boss 10's work() waits for a whole batch).
import type PgBoss from 'pg-boss';
import type { z } from 'zod';
import { ensureQueue, retryOnDeadlock } from './boss';
import { sendDefaults, type JobDefinition } from './define';
import { errorFields, logger } from '../logger';

export interface JobContext {
  boss: PgBoss;
  job: PgBoss.Job<unknown>;
}

/** Returns what the job's row keeps as its output (shown as the last run's result). */
export type JobHandler<S extends z.ZodType> = (data: z.output<S>, ctx: JobContext) => Promise<unknown>;

export interface RegisterOptions {
  /** How often an idle consumer asks for due jobs (default 0.5 s for a pool, 2 s otherwise). */
  pollingIntervalSeconds?: number;
}

export interface JobRunner {
  register<S extends z.ZodType>(def: JobDefinition<S>, handler: JobHandler<S>, opts?: RegisterOptions): Promise<void>;
  /** Stops taking jobs and waits for the running ones (pool consumers; boss.stop() handles work()). */
  stop(): Promise<void>;
}

const outputOf = (value: unknown) => (value === undefined || value === null ? undefined : typeof value === 'object' && !Array.isArray(value) ? value : { value });

export function createJobRunner(boss: PgBoss): JobRunner {
  const pools: { stop(): Promise<void> }[] = [];
  return {
    async register(def, handler, opts = {}) {
      await ensureQueue(boss, def.name, def.queue);
      if (def.schedule) {
        const { cron, data = {} } = def.schedule;
        await retryOnDeadlock(() => boss.schedule(def.name, cron, data, { tz: 'UTC', ...sendDefaults(def.queue) }));
      }
      const run = async (job: PgBoss.Job<unknown>) => {
        try {
          return await handler(def.schema.parse(job.data), { boss, job });
        } catch (err) {
          logger.error(`job ${def.name} failed`, { jobId: job.id, ...errorFields(err) });
          throw err;
        }
      };
      const concurrency = def.concurrency ?? 1;
      // Pools serve punctual work (a poll due now); other jobs can wait pg-boss's usual 2 s.
      const pollingIntervalSeconds = opts.pollingIntervalSeconds ?? (concurrency > 1 ? 0.5 : 2);
      if (concurrency <= 1) {
        await boss.work(def.name, { batchSize: 1, pollingIntervalSeconds }, async (jobs) => outputOf(await run((jobs as PgBoss.Job<unknown>[])[0]!)));
        return;
      }
      pools.push(startPool(boss, def.name, concurrency, pollingIntervalSeconds * 1000, run));
    },
    async stop() {
      await Promise.all(pools.map((p) => p.stop()));
    },
  };
}

function startPool(boss: PgBoss, name: string, concurrency: number, intervalMs: number, run: (job: PgBoss.Job<unknown>) => Promise<unknown>) {
  const inflight = new Set<Promise<void>>();
  let stopping = false;
  let wake: (() => void) | null = null;
  const nap = (ms: number) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(() => { wake = null; resolve(); }, ms);
      wake = () => { clearTimeout(t); wake = null; resolve(); };
    });

  const runOne = async (job: PgBoss.Job<unknown>) => {
    try {
      const output = await run(job);
      await boss.complete(name, job.id, outputOf(output) as object | undefined);
    } catch (err) {
      await boss.fail(name, job.id, { message: err instanceof Error ? err.message : String(err) }).catch((e: unknown) => logger.warn(`job ${name}: recording the failure failed`, errorFields(e)));
    }
  };

  const loop = (async () => {
    while (!stopping) {
      const free = concurrency - inflight.size;
      if (free > 0) {
        try {
          const fetched = await boss.fetch(name, { batchSize: free });
          for (const job of fetched) {
            const p: Promise<void> = runOne(job).finally(() => {
              inflight.delete(p);
              // A slot opened while the pool was full: there may be due jobs waiting for it.
              if (inflight.size === concurrency - 1) wake?.();
            });
            inflight.add(p);
          }
          // A full batch may mean more are due: ask again once a slot is free rather than after a nap.
          if (fetched.length === free) {
            if (inflight.size >= concurrency) await nap(intervalMs * 10);
            continue;
          }
        } catch (err) {
          logger.warn(`job ${name}: fetching failed`, errorFields(err));
        }
      }
      if (!stopping) await nap(intervalMs);
    }
  })();

  return {
    async stop() {
      stopping = true;
      wake?.();
      await loop;
      await Promise.allSettled([...inflight]);
    },
  };
}
