// Every background job, declared as data: name, payload schema, queue policy, retries and expiry,
// schedule. Domains import their job from here to enqueue it; workers/index.ts registers a handler
// for each. Adding a job = one entry here + one `runner.register(...)` line in workers/index.ts.
import { z } from 'zod';
import { env } from '../env';
import { defineJob } from './define';
import { TRANSCODE_EXPIRE_S } from '../videos/liveness';

/**
 * How long one server poll may hold its job: a poll makes up to three media-server calls (sessions,
 * a rule's terminations, sessions again), each bounded by MEDIA_SERVER_TIMEOUT_MS. Past this the job
 * of a worker that died mid-poll expires and a survivor retries it.
 */
export const SERVER_POLL_LEASE_S = Math.ceil((3 * env.MEDIA_SERVER_TIMEOUT_MS) / 1000) + 5;

/** Polls are network waits, not CPU: one worker runs many at once so 50 servers never queue behind a slow one. */
export const SERVER_POLL_CONCURRENCY = 25;

/** One scan makes at most two media-server calls (a path scan, then the library-refresh fallback) plus an rclone refresh. */
export const SCAN_RUN_LEASE_S = Math.ceil((3 * env.MEDIA_SERVER_TIMEOUT_MS) / 1000) + 30;

export const jobs = {
  videoTranscode: defineJob({
    name: 'video-transcode',
    description: 'Transcodes an uploaded video into the encrypted HLS ladder.',
    schema: z.object({ videoId: z.string().min(1) }),
    // A job whose worker died is failed early by the sweep below and retried; the expiry is the last resort.
    queue: { retryLimit: 2, retryDelay: 5, retryBackoff: true, expireInSeconds: TRANSCODE_EXPIRE_S },
    concurrency: env.TRANSCODE_CONCURRENCY,
  }),
  videoTranscodeSweep: defineJob({
    name: 'video-transcode-sweep',
    description: 'Fails the transcodes of a worker that stopped (no sign of life for 3 minutes) so they are retried at once, and cancels uploads left without a chunk for 24 hours.',
    schema: z.object({}),
    queue: { retryLimit: 0, expireInSeconds: 120 },
    schedule: { cron: '* * * * *' },
    runNowData: {},
  }),
  workerHeartbeat: defineJob({
    name: 'worker-heartbeat',
    description: "Each worker's liveness beat, sent to itself so health proves the queue is consumed.",
    schema: z.object({
      workerId: z.string(),
      hostname: z.string(),
      pid: z.number().int(),
      startedAt: z.iso.datetime(),
    }),
    queue: { policy: 'standard', retryLimit: 0, expireInSeconds: 60, retentionMinutes: 5 },
  }),
  serverPoll: defineJob({
    name: 'server-poll',
    description: "Polls one media server's sessions, then queues its next poll at the server's interval (or backoff).",
    schema: z.object({ serverId: z.string().min(1) }),
    // `short`: at most one queued poll per server (singletonKey = server id), whoever enqueues it.
    queue: { policy: 'short', retryLimit: 5, retryDelay: 0, expireInSeconds: SERVER_POLL_LEASE_S, retentionMinutes: 60 },
    concurrency: SERVER_POLL_CONCURRENCY,
  }),
  serverPollReconcile: defineJob({
    name: 'server-poll-reconcile',
    description: 'Makes sure every enabled server has a poll queued (new, re-enabled, or one whose job was lost).',
    schema: z.object({}),
    queue: { retryLimit: 0, expireInSeconds: 60 },
    schedule: { cron: '* * * * *' },
    runNowData: {},
  }),
  serverDirectorySync: defineJob({
    name: 'server-directory-sync',
    description: 'Re-reads media users and libraries of every server last synced over a day ago.',
    schema: z.object({}),
    queue: { retryLimit: 1, retryDelay: 60, expireInSeconds: 15 * 60 },
    schedule: { cron: '*/10 * * * *' },
    runNowData: {},
  }),
  scanIntake: defineJob({
    name: 'scan-intake',
    description: 'Routes received scan requests (webhooks, manual, scheduled) to their target libraries, merging those within the debounce window.',
    schema: z.object({}),
    // `short`: at most one waiting, however many webhooks arrive; one more may queue while it runs.
    queue: { policy: 'short', retryLimit: 3, retryDelay: 5, expireInSeconds: 300, retentionMinutes: 60 },
    runNowData: {},
  }),
  scanRun: defineJob({
    name: 'scan-run',
    description: 'Asks one media server to scan one folder once its debounce window has passed (retries with backoff while the server is down).',
    schema: z.object({ scanId: z.string().min(1) }),
    // Retries of the scan itself are the handler's (recorded on the row); these cover a worker that died.
    queue: { retryLimit: 3, retryDelay: 10, expireInSeconds: SCAN_RUN_LEASE_S, retentionMinutes: 60 },
    concurrency: 4,
  }),
  scanSweep: defineJob({
    name: 'scan-sweep',
    description: 'Routes requests whose wake-up was lost, re-queues due scans without a job, recovers scans of a worker that died, and fires scheduled rescans.',
    schema: z.object({}),
    queue: { retryLimit: 0, expireInSeconds: 120 },
    schedule: { cron: '* * * * *' },
    runNowData: {},
  }),
  historyImport: defineJob({
    name: 'history-import',
    description: 'Imports Tautulli history in pages (resumes where it stopped after a crash).',
    schema: z.object({ importId: z.string().min(1) }),
    queue: { retryLimit: 5, retryDelay: 30, retryBackoff: true, expireInSeconds: 3600 },
  }),
  historyTautulliPull: defineJob({
    name: 'history-tautulli-pull',
    description: 'Pulls the Tautulli rows newer than the last import (when a connection is saved).',
    schema: z.object({}),
    queue: { retryLimit: 0, expireInSeconds: 300 },
    schedule: { cron: '*/30 * * * *' },
    runNowData: {},
  }),
  historyMaintenance: defineJob({
    name: 'history-maintenance',
    description: 'Closes plays nobody will close (last seen over the continuation window ago, no live session) and prunes raw playback events.',
    schema: z.object({}),
    queue: { retryLimit: 0, expireInSeconds: 300 },
    schedule: { cron: '*/5 * * * *' },
    runNowData: {},
  }),
  analyticsRefresh: defineJob({
    name: 'analytics-refresh',
    description: 'Recomputes the analytics rollups of the hours plays were written in (closed, imported, deleted) and of the hours since the last run; builds them all the first time.',
    schema: z.object({}),
    // `short`: one waiting refresh at most, however many imports and schedules ask for one.
    queue: { policy: 'short', retryLimit: 1, retryDelay: 30, expireInSeconds: 3600 },
    schedule: { cron: '* * * * *' },
    runNowData: {},
  }),
};

export type JobKey = keyof typeof jobs;
export const JOB_LIST = Object.values(jobs);

export function jobByName(name: string) {
  return JOB_LIST.find((j) => j.name === name) ?? null;
}
