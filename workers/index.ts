// The worker process: pg-boss consumers for every domain's jobs. `npm start` runs it beside the
// web server; in production run as many as you like (`npm run worker`), all on one PostgreSQL.
import { createWorkerBoss } from '../lib/jobs/boss';
import { db } from '../lib/db';
import { logger, errorFields } from '../lib/logger';
import { seedAdminFromEnv } from '../lib/auth/setup';
import { registerHeartbeat } from './heartbeat';
import { registerTranscode } from './transcode';
import { registerPollServers } from './poll-servers';

async function main() {
  const boss = await createWorkerBoss();
  await seedAdminFromEnv().catch((err) => logger.warn('admin seed failed', errorFields(err)));
  const stopHeartbeat = await registerHeartbeat(boss);
  // Domain job handlers register here, one line each.
  await registerTranscode(boss);
  await registerPollServers(boss);

  logger.info('worker started', { pid: process.pid });

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info('worker stopping', { signal });
    stopHeartbeat();
    // Stop taking jobs and let running ones finish (pg-boss waits up to `timeout`).
    await boss.stop({ graceful: true, wait: true, timeout: 15_000 }).catch(() => {});
    await db.$disconnect().catch(() => {});
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((err) => {
  logger.error('worker failed to start', errorFields(err));
  process.exit(1);
});
