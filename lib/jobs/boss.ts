// pg-boss instances. The web process uses a producer-only instance (no supervision, no cron);
// the worker process creates a full one with createWorkerBoss().
import PgBoss from 'pg-boss';
import { databaseUrl } from '../env';
import { logger } from '../logger';

const g = globalThis as unknown as { marqueeBoss?: Promise<PgBoss>; marqueeQueues?: Set<string> };

function newBoss(opts: Partial<PgBoss.ConstructorOptions> = {}) {
  const boss = new PgBoss({ connectionString: databaseUrl(), max: 4, ...opts } as PgBoss.ConstructorOptions);
  boss.on('error', (err) => logger.error('pg-boss error', { error: err instanceof Error ? err.message : String(err) }));
  return boss;
}

/** The producer instance shared by the process (route handlers, server actions, tests). */
export function getBoss(): Promise<PgBoss> {
  g.marqueeBoss ??= (async () => {
    const boss = newBoss({ supervise: false, schedule: false });
    await boss.start();
    return boss;
  })().catch((err) => {
    g.marqueeBoss = undefined;
    throw err;
  });
  return g.marqueeBoss;
}

export async function stopBoss(): Promise<void> {
  const pending = g.marqueeBoss;
  g.marqueeBoss = undefined;
  g.marqueeQueues = undefined;
  if (pending) await (await pending.catch(() => null))?.stop({ graceful: false, wait: true });
}

/** A full instance for the worker process: supervision and cron scheduling on. */
export async function createWorkerBoss(): Promise<PgBoss> {
  const boss = newBoss({
    max: 10,
    // Maintenance fails jobs past their expiry: a dead worker's server poll is retried within this.
    maintenanceIntervalSeconds: 10,
    // Every server poll is a job (50 servers at 10 s = 430 000 a day): keep an hour in the live
    // table (the jobs page reads it) and two days of history.
    archiveCompletedAfterSeconds: 3600,
    deleteAfterDays: 2,
  });
  await boss.start();
  return boss;
}

/**
 * Runs pg-boss DDL-ish calls (createQueue, schedule) again when PostgreSQL picked them as a deadlock
 * victim: several workers starting at once create the same queues and partitions concurrently, and
 * one of them would otherwise die on boot with "deadlock detected".
 */
export async function retryOnDeadlock<T>(fn: () => Promise<T>, attempts = 5): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (err) {
      const code = (err as { code?: string } | null)?.code;
      if ((code !== '40P01' && code !== '40001') || i >= attempts) throw err;
      await new Promise((r) => setTimeout(r, 50 * i + Math.random() * 100));
    }
  }
}

/** createQueue is required before send/work; it is idempotent, and cached per process. */
export async function ensureQueue(boss: PgBoss, name: string, options: Omit<PgBoss.Queue, 'name'> = {}): Promise<void> {
  g.marqueeQueues ??= new Set();
  const key = `${name}`;
  if (g.marqueeQueues.has(key)) return;
  await retryOnDeadlock(() => boss.createQueue(name, options as PgBoss.Queue));
  g.marqueeQueues.add(key);
}

export type { PgBoss };
