// Worker liveness: each worker sends itself a heartbeat job every HEARTBEAT_INTERVAL_S; the handler
// (proving the queue is consumed, not just that the process exists) records the sender's beat.
import os from 'node:os';
import type { z } from 'zod';
import { db } from '../db';
import { env } from '../env';
import { appVersion } from '../version';
import { jobs } from '../jobs/definitions';

export const heartbeatJob = jobs.workerHeartbeat;

export type HeartbeatPayload = z.output<typeof heartbeatJob.schema>;

export async function recordHeartbeat(p: HeartbeatPayload, at = new Date()): Promise<void> {
  await db.workerHeartbeat.upsert({
    where: { workerId: p.workerId },
    create: {
      workerId: p.workerId,
      hostname: p.hostname,
      pid: p.pid,
      version: appVersion(),
      startedAt: new Date(p.startedAt),
      lastSeenAt: at,
    },
    update: { lastSeenAt: at, pid: p.pid, hostname: p.hostname, version: appVersion() },
  });
  // Keep the table small: forget workers silent for a day.
  await db.workerHeartbeat.deleteMany({ where: { lastSeenAt: { lt: new Date(at.getTime() - 86_400_000) } } });
}

export function heartbeatPayload(workerId: string, startedAt: Date): HeartbeatPayload {
  return { workerId, hostname: os.hostname(), pid: process.pid, startedAt: startedAt.toISOString() };
}

export type WorkerStatus = 'ok' | 'stale' | 'down';

/** ok: a beat within 1.6 intervals; stale: older; down: none in 10 minutes (or never). */
export function workerStatus(lastSeen: Date | null, now = new Date(), intervalS = env.HEARTBEAT_INTERVAL_S): WorkerStatus {
  if (!lastSeen) return 'down';
  const age = (now.getTime() - lastSeen.getTime()) / 1000;
  if (age <= intervalS * 1.6) return 'ok';
  if (age <= Math.max(600, intervalS * 10)) return 'stale';
  return 'down';
}
