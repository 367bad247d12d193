// Polling: one server at a time is `pollServer`; `pollAllServers` claims every due server (so
// several workers never poll the same one) and polls them concurrently, each with its own timeout,
// so a dead server cannot stall the others. A failing server backs off exponentially.
import { db } from '../db';
import { logger, errorFields } from '../logger';
import { isMediaServerError, type ProviderSession } from '../media-servers';
import type { MediaServer, Prisma, ServerRule } from '@/generated/prisma/client';
import { providerForServer } from './provider';
import { publishLive } from './live-bus';
import { enabledRules, evaluateRules, type SnapshotSession } from './rules';

export const SAMPLE_RETENTION_MS = 25 * 60 * 60 * 1000;
const MAX_BACKOFF_S = 300;

export interface PollResult {
  serverId: string;
  ok: boolean;
  sessions: number;
  error?: string;
  rulesFired?: number;
}

export function backoffSeconds(intervalS: number, failures: number): number {
  return Math.min(MAX_BACKOFF_S, intervalS * 2 ** Math.max(0, failures - 1));
}

/** Polls one server now (due or not). */
export async function pollServer(serverId: string, opts: { now?: Date } = {}): Promise<PollResult> {
  const [server, rules] = await Promise.all([db.mediaServer.findUnique({ where: { id: serverId } }), enabledRules()]);
  if (!server || !server.enabled) return notPolled(serverId);
  const result = await pollLoadedServer(server, rules, opts.now);
  await pruneSamples([serverId], opts.now ?? new Date());
  return result;
}

const notPolled = (serverId: string): PollResult => ({ serverId, ok: false, sessions: 0, error: 'not found or disabled' });

async function pollLoadedServer(server: MediaServer, rules: ServerRule[], pollNow: Date | undefined): Promise<PollResult> {
  const serverId = server.id;
  const provider = providerForServer(server);
  let sessions: ProviderSession[];
  try {
    sessions = await provider.listSessions();
  } catch (err) {
    const now = pollNow ?? new Date();
    const failures = server.consecutiveFailures + 1;
    const code = isMediaServerError(err) ? err.code : 'error';
    // Unreachable, timing out or refusing our token: down. Odd answers: degraded until they persist.
    const down = ['unreachable', 'timeout', 'invalid_credentials', 'invalid_url'].includes(code) || failures >= 3;
    const message = (err as Error).message;
    // What a down server is playing is unknown: show it as offline, not stale sessions.
    const endLive = down ? await endLiveSessions(serverId, now, 'server_down') : [];
    const written = await writeIfStillEnabled(serverId, [
      db.mediaServer.update({
        where: { id: serverId, enabled: true },
        data: { health: down ? 'down' : 'degraded', lastError: message, consecutiveFailures: failures, lastPolledAt: now, nextPollAt: new Date(now.getTime() + backoffSeconds(server.pollIntervalS, failures) * 1000) },
      }),
      ...endLive,
    ]);
    if (!written) return notPolled(serverId);
    if (server.health !== (down ? 'down' : 'degraded')) logger.warn('server poll failed', { serverId, name: server.name, code, message });
    await publishLive(serverId);
    return { serverId, ok: false, sessions: 0, error: message };
  }

  const now = pollNow ?? new Date();
  const existing = await db.liveSession.findMany({ where: { serverId }, select: { id: true, sessionKey: true, startedAt: true, data: true } });
  const known = new Map(existing.map((r) => [r.sessionKey, r]));
  const seen = new Set<string>();
  // A server may list one session twice (Plex does while a transcoder restarts): keep the first.
  const unique = sessions.filter((s) => !seen.has(s.sessionKey) && seen.add(s.sessionKey));
  const rows = unique.map((s) => ({
    id: known.get(s.sessionKey)?.id,
    serverId,
    sessionKey: s.sessionKey,
    data: s as unknown as Prisma.InputJsonValue,
    startedAt: known.get(s.sessionKey)?.startedAt ?? now,
    updatedAt: now,
  }));
  let total = 0, lan = 0, wan = 0, transcodes = 0;
  for (const s of unique) {
    total += s.bandwidthKbps;
    if (s.isLocal) lan += s.bandwidthKbps; else wan += s.bandwidthKbps;
    if (s.decision === 'transcode') transcodes += 1;
  }
  const events = playbackTransitions(serverId, existing, unique.map((s) => ({ sessionKey: s.sessionKey, session: s })), now);
  // Replace the snapshot in one transaction so readers never see half a poll.
  const written = await writeIfStillEnabled(serverId, [
    db.mediaServer.update({
      where: { id: serverId, enabled: true },
      data: { health: 'ok', lastError: null, consecutiveFailures: 0, lastPolledAt: now, lastOkAt: now, nextPollAt: new Date(now.getTime() + server.pollIntervalS * 1000) },
    }),
    db.playbackEvent.createMany({ data: events }),
    db.liveSession.deleteMany({ where: { serverId } }),
    db.liveSession.createMany({ data: rows }),
    db.bandwidthSample.create({ data: { serverId, at: now, totalKbps: total, lanKbps: lan, wanKbps: wan, streams: unique.length, transcodes } }),
  ]);
  if (!written) return notPolled(serverId);
  if (server.health !== 'ok' && server.health !== 'unknown') logger.info('server recovered', { serverId, name: server.name });

  const snapshot: SnapshotSession[] = rows.map((r, i) => ({ ...unique[i]!, startedAt: r.startedAt }));
  const rulesFired = await evaluateRules(server, provider, snapshot, now, rules);
  if (rulesFired > 0) {
    // The terminated sessions are gone from the server: drop them from the snapshot right away.
    const live = await provider.listSessions().catch(() => null);
    if (live) {
      const keys = new Set(live.map((s) => s.sessionKey));
      const gone = snapshot.filter((s) => !keys.has(s.sessionKey));
      await db.$transaction(async (tx) => {
        // Under the server row's lock, so a disable meanwhile (which closes every live session
        // itself) cannot give these sessions a second stop event: close only the rows still here.
        await tx.$queryRaw`SELECT 1 FROM "MediaServer" WHERE "id" = ${serverId} FOR UPDATE`;
        const still = new Set((await tx.liveSession.findMany({ where: { serverId, sessionKey: { in: gone.map((s) => s.sessionKey) } }, select: { sessionKey: true } })).map((r) => r.sessionKey));
        const closing = gone.filter((s) => still.has(s.sessionKey));
        await tx.liveSession.deleteMany({ where: { serverId, sessionKey: { in: [...still] } } });
        await tx.playbackEvent.createMany({ data: closing.map(({ startedAt: _s, ...s }) => stopEvent(serverId, s.sessionKey, s, now, 'rule')) });
      });
    }
  }
  await publishLive(serverId);
  return { serverId, ok: true, sessions: rows.length, rulesFired };
}

/**
 * Runs a poll's writes in one transaction whose first statement updates the server row only while
 * it is still enabled. That UPDATE takes the row lock `setServerEnabled`'s disable also takes, so
 * the two serialize: a poll that answered after the server was disabled (or deleted) matches no
 * row, Prisma throws P2025 and nothing of it is written; one that committed first has its sessions
 * closed by the disable. Returns false when the server was no longer enabled.
 */
async function writeIfStillEnabled(serverId: string, statements: Prisma.PrismaPromise<unknown>[]): Promise<boolean> {
  try {
    await db.$transaction(statements);
    return true;
  } catch (err) {
    if ((err as { code?: unknown } | null)?.code !== 'P2025') throw err;
    logger.info('poll discarded: the server was disabled or deleted while it was being polled', { serverId });
    return false;
  }
}

const inFlight = new Set<string>();

/** Polls every enabled server that is due (or all enabled ones with `force`), concurrently. */
export async function pollAllServers(opts: { now?: Date; force?: boolean } = {}): Promise<PollResult[]> {
  const now = opts.now ?? new Date();
  // Claim due servers atomically: pushing nextPollAt ahead keeps other workers off them.
  // Prisma stores DateTime as UTC in `timestamp` columns; an ISO string cast to timestamp keeps
  // that UTC wall time whatever the session's TimeZone is (the zone suffix is ignored).
  const nowUtc = now.toISOString();
  const claimed = opts.force
    ? await db.mediaServer.findMany({ where: { enabled: true }, select: { id: true } })
    : await db.$queryRaw<{ id: string }[]>`
        UPDATE "MediaServer" SET "nextPollAt" = ${nowUtc}::timestamp + make_interval(secs => "pollIntervalS" * 3)
        WHERE "enabled" AND ("nextPollAt" IS NULL OR "nextPollAt" <= ${nowUtc}::timestamp)
        RETURNING "id"`;
  const ids = claimed.map((r) => r.id).filter((id) => !inFlight.has(id));
  if (ids.length === 0) return [];
  ids.forEach((id) => inFlight.add(id));
  try {
    // One read of the servers and of the rules for the whole cycle, not one per server.
    const [servers, rules] = await Promise.all([db.mediaServer.findMany({ where: { id: { in: ids }, enabled: true } }), enabledRules()]);
    const byId = new Map(servers.map((s) => [s.id, s]));
    const results = await Promise.allSettled(ids.map((id) => {
      const server = byId.get(id);
      return server ? pollLoadedServer(server, rules, opts.now) : Promise.resolve(notPolled(id));
    }));
    await pruneSamples(ids, now);
    return results.map((r, i) => (r.status === 'fulfilled' ? r.value : { serverId: ids[i]!, ok: false, sessions: 0, error: String(r.reason) }));
  } finally {
    ids.forEach((id) => inFlight.delete(id));
  }
}

/** Drops the bandwidth samples of these servers that are older than the retention. */
async function pruneSamples(serverIds: string[], now: Date): Promise<void> {
  await db.bandwidthSample
    .deleteMany({ where: { serverId: { in: serverIds }, at: { lt: new Date(now.getTime() - SAMPLE_RETENTION_MS) } } })
    .catch((err: unknown) => logger.warn('bandwidth sample pruning failed', errorFields(err))); // the next poll retries
}

/**
 * The statements that drop a server's whole live snapshot and close each session in the playback
 * history with a stop event (`reason`), for the caller's transaction: a batch (`db`, the default)
 * or, given `tx`, an interactive one where the caller awaits them in order.
 */
export async function endLiveSessions(serverId: string, at: Date, reason: string, client: Pick<typeof db, 'liveSession' | 'playbackEvent'> = db) {
  const live = await client.liveSession.findMany({ where: { serverId }, select: { sessionKey: true, data: true } });
  return [
    client.liveSession.deleteMany({ where: { serverId } }),
    client.playbackEvent.createMany({ data: live.map((r) => stopEvent(serverId, r.sessionKey, r.data as unknown as ProviderSession, at, reason)) }),
  ];
}

/**
 * Enables or disables a server. Disabling drops its live snapshot and writes the stop events in the
 * same transaction as the flag, after taking the server row's lock (see `writeIfStillEnabled`), so
 * a poll in flight can neither slip sessions in afterwards nor have its sessions left open.
 */
export async function setServerEnabled(id: string, enabled: boolean, data: Prisma.MediaServerUpdateInput = {}): Promise<MediaServer> {
  if (enabled) return db.mediaServer.update({ where: { id }, data: { ...data, enabled } });
  return db.$transaction(async (tx) => {
    const row = await tx.mediaServer.update({ where: { id }, data: { ...data, enabled } });
    for (const statement of await endLiveSessions(id, new Date(), 'server_disabled', tx)) await statement;
    return row;
  });
}

type EventRow = { serverId: string; sessionKey: string; kind: 'start' | 'pause' | 'resume' | 'stop'; at: Date; mediaUser: string | null; progressMs: number; data: Prisma.InputJsonValue };

export function stopEvent(serverId: string, sessionKey: string, last: ProviderSession, at: Date, reason: string): EventRow {
  return { serverId, sessionKey, kind: 'stop', at, mediaUser: last.mediaUser ?? null, progressMs: Math.round(last.progressMs ?? 0), data: { ...last, reason } as unknown as Prisma.InputJsonValue };
}

/** start / pause / resume / stop between the previous snapshot and this poll. */
export function playbackTransitions(
  serverId: string,
  previous: { sessionKey: string; data: unknown }[],
  current: { sessionKey: string; session: ProviderSession }[],
  at: Date,
): EventRow[] {
  const before = new Map(previous.map((p) => [p.sessionKey, p.data as ProviderSession]));
  const events: EventRow[] = [];
  const row = (kind: EventRow['kind'], s: ProviderSession): EventRow => ({ serverId, sessionKey: s.sessionKey, kind, at, mediaUser: s.mediaUser, progressMs: Math.round(s.progressMs), data: s as unknown as Prisma.InputJsonValue });
  for (const { sessionKey, session } of current) {
    const prev = before.get(sessionKey);
    if (!prev) events.push(row('start', session));
    else if (prev.state !== 'paused' && session.state === 'paused') events.push(row('pause', session));
    else if (prev.state === 'paused' && session.state !== 'paused') events.push(row('resume', session));
    before.delete(sessionKey);
  }
  for (const [key, last] of before) events.push(stopEvent(serverId, key, last, at, 'ended'));
  return events;
}
