// Jobs are declared as data (name, payload schema, queue policy) with a typed enqueue(); workers
// register handlers with work(), which parses the payload again before calling the domain function.
import type PgBoss from 'pg-boss';
import type { z } from 'zod';
import { ensureQueue, getBoss } from './boss';
import { logger, errorFields } from '../logger';

export interface JobDefinition<S extends z.ZodType> {
  name: string;
  schema: S;
  queue?: Omit<PgBoss.Queue, 'name'>;
  enqueue(data: z.input<S>, opts?: PgBoss.SendOptions): Promise<string | null>;
  /** Registers a handler in the worker process. */
  work(
    boss: PgBoss,
    handler: (data: z.output<S>, job: PgBoss.Job<unknown>) => Promise<void>,
    opts?: PgBoss.WorkOptions,
  ): Promise<string>;
}

export function defineJob<S extends z.ZodType>(def: {
  name: string;
  schema: S;
  queue?: Omit<PgBoss.Queue, 'name'>;
}): JobDefinition<S> {
  return {
    ...def,
    async enqueue(data, opts = {}) {
      const boss = await getBoss();
      await ensureQueue(boss, def.name, def.queue);
      return boss.send(def.name, def.schema.parse(data) as object, opts);
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
