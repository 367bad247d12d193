import { randomUUID } from 'node:crypto';
import type PgBoss from 'pg-boss';
import { env } from '../lib/env';
import { logger, errorFields } from '../lib/logger';
import { heartbeatJob, heartbeatPayload, recordHeartbeat } from '../lib/system/heartbeat';

/** Starts this worker's heartbeat; returns a function that stops sending it. */
export async function registerHeartbeat(boss: PgBoss): Promise<() => void> {
  const workerId = `${process.pid}-${randomUUID().slice(0, 8)}`;
  const startedAt = new Date();
  await heartbeatJob.work(boss, (data) => recordHeartbeat(data), { pollingIntervalSeconds: 0.5 });
  const beat = async () => {
    try {
      await boss.send(heartbeatJob.name, heartbeatPayload(workerId, startedAt), { retryLimit: 0, expireInSeconds: 60 });
    } catch (err) {
      logger.warn('heartbeat send failed', errorFields(err));
    }
  };
  // The first beat is recorded directly so health turns ok as soon as the worker is up.
  await recordHeartbeat(heartbeatPayload(workerId, startedAt));
  const timer = setInterval(beat, env.HEARTBEAT_INTERVAL_S * 1000);
  timer.unref();
  return () => clearInterval(timer);
}
