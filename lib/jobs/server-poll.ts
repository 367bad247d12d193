// Media-server polling as pg-boss work. Each enabled server has one `server-poll` job chain: a job
// polls its server, then queues the next one at the server's `nextPollAt` (its interval, or its
// backoff after a failure), which pollServer() writes. Any worker may run any link of the chain, so
// several workers share the servers; a worker killed mid-poll leaves an active job that expires
// after SERVER_POLL_LEASE_S and is retried by a survivor. A reconcile every minute (and at each
// worker's start) queues a poll for every enabled server that has none: new servers, re-enabled
// ones, chains lost to an exhausted retry.
//
// Double polls are impossible whatever the queue holds (a reconcile racing a running poll, a retry
// of a job that in fact finished): a job first claims its server by pushing `nextPollAt` ahead by
// the lease, in one UPDATE that matches only an enabled server that is due. A job that finds its
// server not due only makes sure the chain continues at `nextPollAt`.
import os from 'node:os';
import { db } from '../db';
import { ensureQueue, getBoss } from './boss';
import { pollServer, type PollResult } from '../servers';
import { SERVER_POLL_LEASE_S, jobs } from './definitions';
import { enqueueServerPoll } from './server-poll-queue';

type Claim = { state: 'claimed' } | { state: 'not-due'; nextPollAt: Date } | { state: 'gone' };

/** Takes the server for one poll if it is enabled and due (nextPollAt reached or never set). */
export async function claimServerPoll(serverId: string, now = new Date()): Promise<Claim> {
  // Prisma keeps DateTime as UTC wall time in `timestamp` columns; an ISO string cast to timestamp
  // keeps that wall time whatever the session's TimeZone is.
  const nowUtc = now.toISOString();
  const claimed = await db.$queryRaw<{ id: string }[]>`
    UPDATE "MediaServer" SET "nextPollAt" = ${nowUtc}::timestamp + make_interval(secs => ${SERVER_POLL_LEASE_S})
    WHERE "id" = ${serverId} AND "enabled" AND ("nextPollAt" IS NULL OR "nextPollAt" <= ${nowUtc}::timestamp)
    RETURNING "id"`;
  if (claimed.length) return { state: 'claimed' };
  const row = await db.mediaServer.findUnique({ where: { id: serverId }, select: { enabled: true, nextPollAt: true } });
  if (!row?.enabled || !row.nextPollAt) return { state: 'gone' };
  return { state: 'not-due', nextPollAt: row.nextPollAt };
}

export type ServerPollOutcome = { serverId: string; worker: string; next: string | null } & (
  | { polled: true; ok: boolean; sessions: number; error?: string }
  | { polled: false; reason: 'not due' | 'disabled or deleted' }
);

/** Which worker ran a poll, kept in the job's output (the jobs page, the multi-worker test). */
const WORKER = `${os.hostname()}:${process.pid}`;

/** The `server-poll` handler: claim, poll, queue the next poll. `ctx.job` is the job running it. */
export async function runServerPoll({ serverId }: { serverId: string }, ctx: { job?: { id: string } } = {}): Promise<ServerPollOutcome> {
  const claim = await claimServerPoll(serverId);
  if (claim.state === 'gone') return { serverId, worker: WORKER, polled: false, reason: 'disabled or deleted', next: null };
  if (claim.state === 'not-due') {
    // Another job polling this server right now queues the next poll itself, at the time its poll
    // chooses; queuing one here, at its lease's end, would take the one queued slot and delay it.
    if (!(await isPollRunningElsewhere(serverId, ctx.job?.id))) await enqueueServerPoll(serverId, claim.nextPollAt);
    return { serverId, worker: WORKER, polled: false, reason: 'not due', next: claim.nextPollAt.toISOString() };
  }
  let result: PollResult;
  try {
    result = await pollServer(serverId);
  } catch (err) {
    // pollServer left no next poll time; the claim's lease in nextPollAt restarts the chain after it.
    await queueNextPoll(serverId);
    throw err;
  }
  // Success or failure, pollServer left the next poll time (interval or backoff) in nextPollAt.
  const next = await queueNextPoll(serverId);
  return { serverId, worker: WORKER, polled: true, ok: result.ok, sessions: result.sessions, ...(result.error ? { error: result.error } : {}), next: next?.toISOString() ?? null };
}

async function isPollRunningElsewhere(serverId: string, jobId: string | undefined): Promise<boolean> {
  const rows = await db.$queryRaw<unknown[]>`
    SELECT 1 FROM pgboss.job WHERE name = ${jobs.serverPoll.name} AND singleton_key = ${serverId} AND state = 'active'
      AND id::text <> ${jobId ?? ''} LIMIT 1`;
  return rows.length > 0;
}

async function queueNextPoll(serverId: string): Promise<Date | null> {
  const row = await db.mediaServer.findUnique({ where: { id: serverId }, select: { enabled: true, nextPollAt: true } });
  if (!row?.enabled) return null;
  await enqueueServerPoll(serverId, row.nextPollAt);
  return row.nextPollAt;
}

/**
 * Queues a poll for every enabled server without a queued, retrying or running one, at its
 * nextPollAt (now if never polled or overdue). Returns the ids it queued for.
 */
export async function reconcileServerPolls(): Promise<string[]> {
  // The queue (and its pgboss.job partition) must exist before it is read.
  await ensureQueue(await getBoss(), jobs.serverPoll.name, jobs.serverPoll.queue);
  const orphans = await db.$queryRaw<{ id: string; nextPollAt: Date | null }[]>`
    SELECT s."id", s."nextPollAt" FROM "MediaServer" s
    WHERE s."enabled" AND NOT EXISTS (
      SELECT 1 FROM pgboss.job j
      WHERE j.name = ${jobs.serverPoll.name} AND j.singleton_key = s."id" AND j.state IN ('created', 'retry', 'active'))`;
  const queued: string[] = [];
  for (const s of orphans) {
    if (await enqueueServerPoll(s.id, s.nextPollAt)) queued.push(s.id);
  }
  return queued;
}
