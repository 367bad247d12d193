// GET /api/health: database reachability, worker liveness and version.
import { db } from '../db';
import { appVersion } from '../version';
import { logger } from '../logger';
import { workerStatus, type WorkerStatus } from './heartbeat';

export interface Health {
  status: 'ok' | 'degraded' | 'error';
  db: 'ok' | 'down';
  worker: { status: WorkerStatus | 'unknown'; lastHeartbeat: string | null; workers: number };
  version: string;
  failing: string[];
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms))]);
}

export async function getHealth(now = new Date()): Promise<Health> {
  const version = appVersion();
  try {
    const rows = await withTimeout(
      db.workerHeartbeat.findMany({ orderBy: { lastSeenAt: 'desc' }, take: 50 }),
      3_000,
    );
    const last = rows[0]?.lastSeenAt ?? null;
    const status = workerStatus(last, now);
    const live = rows.filter((r) => workerStatus(r.lastSeenAt, now) === 'ok').length;
    return {
      status: status === 'ok' ? 'ok' : 'degraded',
      db: 'ok',
      worker: { status, lastHeartbeat: last?.toISOString() ?? null, workers: live },
      version,
      failing: status === 'ok' ? [] : ['worker'],
    };
  } catch (err) {
    // /api/health is public: the driver's message (host, database and role names) stays in the log.
    logger.error('health check: database unreachable', { error: err instanceof Error ? err.message.trim() : String(err) });
    return {
      status: 'error',
      db: 'down',
      worker: { status: 'unknown', lastHeartbeat: null, workers: 0 },
      version,
      failing: ['db'],
    };
  }
}
