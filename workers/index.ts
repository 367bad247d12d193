// The worker process: pg-boss consumers for every job of the registry (lib/jobs/definitions.ts).
// `npm start` runs it beside the web server; in production run as many as you like
// (`npm run worker`), all on one PostgreSQL: they share the queues, and cron schedules fire once.
import { createWorkerBoss } from '../lib/jobs/boss';
import { jobs } from '../lib/jobs/definitions';
import { createJobRunner } from '../lib/jobs/runner';
import { db } from '../lib/db';
import { logger, errorFields } from '../lib/logger';
import { seedAdminFromEnv } from '../lib/auth/setup';
import { registerHeartbeat } from './heartbeat';
import { cleanUpTranscodeLeftovers, sweepStalledTranscodes, transcodeVideo } from './transcode';
import { reconcilePolls, runServerPoll, syncDirectories } from './poll-servers';
import { runScanIntake, runScanJob, runScanSweep } from './scans';
import { maintainHistory, pullTautulli, runHistoryImport } from './history';
import { refreshAnalytics } from './analytics';

async function main() {
  const boss = await createWorkerBoss();
  await seedAdminFromEnv().catch((err) => logger.warn('admin seed failed', errorFields(err)));
  const stopHeartbeat = await registerHeartbeat(boss);
  await cleanUpTranscodeLeftovers();

  // One line per job of the registry.
  const runner = createJobRunner(boss);
  await runner.register(jobs.videoTranscode, transcodeVideo, { pollingIntervalSeconds: 1 });
  await runner.register(jobs.videoTranscodeSweep, sweepStalledTranscodes);
  await runner.register(jobs.serverPoll, runServerPoll);
  await runner.register(jobs.serverPollReconcile, reconcilePolls);
  await runner.register(jobs.serverDirectorySync, syncDirectories);
  await runner.register(jobs.scanIntake, runScanIntake, { pollingIntervalSeconds: 0.5 });
  await runner.register(jobs.scanRun, runScanJob);
  await runner.register(jobs.scanSweep, runScanSweep);
  await runner.register(jobs.historyImport, runHistoryImport);
  await runner.register(jobs.historyTautulliPull, pullTautulli);
  await runner.register(jobs.historyMaintenance, maintainHistory);
  await runner.register(jobs.analyticsRefresh, refreshAnalytics);

  // Servers added while no worker ran start polling now rather than at the next reconcile.
  await reconcilePolls().catch((err) => logger.warn('server poll reconcile failed', errorFields(err)));
  // Plays a dead worker or a downed server left open are closed now, not at the next schedule.
  await maintainHistory().catch((err) => logger.warn('history maintenance failed', errorFields(err)));
  logger.info('worker started', { pid: process.pid });

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info('worker stopping', { signal });
    stopHeartbeat();
    // Stop taking jobs and let running ones finish (pg-boss waits up to `timeout`).
    await Promise.race([runner.stop(), new Promise((r) => setTimeout(r, 15_000))]);
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
