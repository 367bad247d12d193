// Writing plays: events from a poll cycle or a webhook are folded into plays (lib/history/plays.ts)
// under one advisory lock, so a webhook and a poll of the same viewing never race into two plays.
// A cycle costs a constant number of statements whatever its number of sessions: one read of the
// involved servers' open (and just closed) plays, one set-based upsert.
import { db } from '../db';
import { env } from '../env';
import type { ProviderSession } from '../media-servers';
import type { PlaybackEventRow } from './events';
import { applyPlayEvents, settlePlay, type PlayEvent, type PlayRules, type PlayState } from './plays';
import type { WebhookPlaybackEvent } from './webhooks';

/** pg_advisory_xact_lock key of play stitching ("plays" in ASCII). */
const PLAYS_LOCK = 0x706c617973;

export function playRules(): PlayRules {
  return { continuationS: env.HISTORY_CONTINUATION_S, completedPct: env.HISTORY_COMPLETED_PCT };
}

type Tx = Parameters<Parameters<typeof db.$transaction>[0]>[0];

const COLUMNS = [
  'id', 'serverId', 'serverName', 'sessionKey', 'itemKey', 'mediaUserId', 'mediaUser', 'title', 'grandparentTitle', 'parentIndex', 'index',
  'mediaType', 'startedAt', 'stoppedAt', 'lastSeenAt', 'pausedS', 'pausedSince', 'watchedS', 'durationS', 'positionS', 'progressPct',
  'completed', 'decision', 'player', 'platform', 'product', 'ipAddress', 'isLocal', 'library', 'source', 'detail',
] as const;
const TYPES: Record<(typeof COLUMNS)[number], string> = {
  id: 'text', serverId: 'text', serverName: 'text', sessionKey: 'text', itemKey: 'text', mediaUserId: 'text', mediaUser: 'text', title: 'text',
  grandparentTitle: 'text', parentIndex: 'int', index: 'int', mediaType: 'text', startedAt: 'timestamp', stoppedAt: 'timestamp', lastSeenAt: 'timestamp',
  pausedS: 'int', pausedSince: 'timestamp', watchedS: 'int', durationS: 'int', positionS: 'int', progressPct: 'float8', completed: 'bool',
  decision: 'text', player: 'text', platform: 'text', product: 'text', ipAddress: 'text', isLocal: 'bool', library: 'text', source: 'text', detail: 'jsonb',
};
const q = (c: string) => `"${c}"`;
const UPSERT = `
INSERT INTO "Play" (${COLUMNS.map(q).join(', ')})
SELECT ${COLUMNS.map((c) => (c === 'source' ? `r.source::"PlaySource"` : `r.${q(c)}`)).join(', ')}
FROM jsonb_to_recordset($1::jsonb) AS r(${COLUMNS.map((c) => `${q(c)} ${TYPES[c]}`).join(', ')})
ON CONFLICT ("id") DO UPDATE SET ${COLUMNS.filter((c) => c !== 'id' && c !== 'source').map((c) => `${q(c)} = EXCLUDED.${q(c)}`).join(', ')}`;

/** Writes plays (new or changed) in one statement. */
export async function upsertPlays(client: Pick<Tx, '$executeRawUnsafe'>, plays: PlayState[]): Promise<void> {
  if (plays.length === 0) return;
  const rows = plays.map((p) => ({
    ...p,
    startedAt: p.startedAt.toISOString(),
    stoppedAt: p.stoppedAt?.toISOString() ?? null,
    lastSeenAt: p.lastSeenAt.toISOString(),
    pausedSince: p.pausedSince?.toISOString() ?? null,
  }));
  await client.$executeRawUnsafe(UPSERT, JSON.stringify(rows));
}

function toState(row: Awaited<ReturnType<typeof db.play.findMany>>[number]): PlayState {
  return { ...row, detail: (row.detail ?? {}) as PlayState['detail'] };
}

/**
 * Folds events into plays and writes what changed. Returns the plays written. Serialized with every
 * other caller (poll cycles on any worker, webhooks on any web process).
 */
export async function recordPlayEvents(events: PlayEvent[], rules: PlayRules = playRules()): Promise<PlayState[]> {
  if (events.length === 0) return [];
  const serverIds = [...new Set(events.map((e) => e.serverId))];
  const earliest = new Date(Math.min(...events.map((e) => e.at.getTime())) - rules.continuationS * 1000);
  return db.$transaction(async (tx) => {
    await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(${PLAYS_LOCK})`);
    const rows = await tx.play.findMany({
      where: { serverId: { in: serverIds }, source: { not: 'import' }, OR: [{ stoppedAt: null }, { stoppedAt: { gte: earliest } }] },
    });
    const changed = applyPlayEvents(rows.map(toState), events, rules);
    await upsertPlays(tx, changed);
    return changed;
  });
}

/**
 * A poll's event as a play event. A session that vanished after a gap in polling (the worker was
 * down, the server unreachable) stopped some time after it was last seen, not at this poll:
 * `lastSeenAt` (the previous successful poll) is its stop time when the gap is longer than
 * `gapS`.
 */
export function playEventFromPoll(row: PlaybackEventRow, serverName: string, opts: { lastSeenAt?: Date | null; gapS?: number } = {}): PlayEvent {
  const s = row.data as unknown as ProviderSession & { reason?: string };
  let at = row.at;
  if (row.kind === 'stop' && opts.lastSeenAt && opts.gapS !== undefined && at.getTime() - opts.lastSeenAt.getTime() > opts.gapS * 1000) at = opts.lastSeenAt;
  // A session first seen paused starts a play that is paused from the start.
  const kind = row.kind === 'start' && s.state === 'paused' ? 'pause' : row.kind;
  return {
    kind, source: 'poll', at, serverId: row.serverId, serverName,
    sessionKey: row.sessionKey, itemKey: s.itemId ?? null, mediaUserId: s.mediaUserId ?? null, mediaUser: s.mediaUser ?? null,
    title: s.title, grandparentTitle: s.grandparentTitle ?? null, parentIndex: s.parentIndex ?? null, index: s.index ?? null,
    mediaType: s.mediaType, positionMs: s.progressMs ?? null, durationMs: s.durationMs || null,
    decision: s.decision ?? null, player: s.player ?? null, platform: s.platform ?? null, product: s.product ?? null,
    ipAddress: s.ipAddress ?? null, isLocal: s.isLocal ?? null, library: s.library ?? null,
    stream: {
      videoDecision: s.videoDecision ?? null, audioDecision: s.audioDecision ?? null, sourceResolution: s.sourceResolution ?? null,
      streamResolution: s.streamResolution ?? null, hdr: s.hdr ?? null, bandwidthKbps: s.bandwidthKbps ?? null,
      ...(row.kind === 'stop' && s.reason ? { stopReason: s.reason } : {}),
    },
  };
}

/** A media-server webhook's playback event as a play event of the server it was matched to. */
export function playEventFromWebhook(e: WebhookPlaybackEvent, server: { id: string; name: string }): PlayEvent {
  const kind = e.kind === 'play' ? 'start' : e.kind === 'scrobble' ? 'progress' : e.kind;
  return {
    kind, source: 'webhook', at: e.at, serverId: server.id, serverName: server.name,
    sessionKey: e.sessionKey, itemKey: e.item.key, mediaUserId: e.mediaUser.id, mediaUser: e.mediaUser.name,
    title: e.item.title, grandparentTitle: e.item.grandparentTitle, parentIndex: e.item.parentIndex, index: e.item.index,
    mediaType: e.item.mediaType, positionMs: e.positionMs, durationMs: e.item.durationMs,
    decision: null, player: e.player, platform: e.platform, product: e.product, ipAddress: e.ipAddress, isLocal: e.isLocal,
    library: e.item.libraryName, stream: null,
    watched: e.kind === 'scrobble' || e.playedToCompletion === true,
  };
}

/**
 * Closes plays nobody will close: open, not backed by a live session, and not seen for longer than
 * the continuation window (a webhook-only play whose stop never came, a play of a server deleted
 * meanwhile, a worker that died between writes). They stop when they were last seen.
 */
export async function closeStalePlays(now: Date = new Date(), rules: PlayRules = playRules()): Promise<number> {
  const before = new Date(now.getTime() - rules.continuationS * 1000);
  return db.$transaction(async (tx) => {
    await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(${PLAYS_LOCK})`);
    const rows = await tx.$queryRaw<{ id: string }[]>`
      SELECT p."id" FROM "Play" p
      WHERE p."stoppedAt" IS NULL AND p."lastSeenAt" < ${before.toISOString()}::timestamp
        AND NOT EXISTS (SELECT 1 FROM "LiveSession" l WHERE l."serverId" = p."serverId" AND l."sessionKey" = p."sessionKey")`;
    if (rows.length === 0) return 0;
    const plays = await tx.play.findMany({ where: { id: { in: rows.map((r) => r.id) } } });
    const closed = plays.map((row) => {
      const p = toState(row);
      if (p.pausedSince) p.pausedSince = null; // paused until it vanished: the pause is not watched time, nor is it ended later
      p.stoppedAt = p.lastSeenAt;
      p.sessionKey = null;
      p.detail.stopReason = 'stale';
      return settlePlay(p, p.lastSeenAt, rules);
    });
    await upsertPlays(tx, closed);
    return closed.length;
  });
}

/** Closes every open play of a server (it is being disabled or deleted) at `at`. */
export async function closeServerPlays(serverId: string, at: Date = new Date(), reason = 'server_removed'): Promise<number> {
  return db.$transaction(async (tx) => {
    await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(${PLAYS_LOCK})`);
    const plays = await tx.play.findMany({ where: { serverId, stoppedAt: null } });
    const closed = plays.map((row) => {
      const p = toState(row);
      if (p.pausedSince) {
        p.pausedS += Math.max(0, Math.round((at.getTime() - p.pausedSince.getTime()) / 1000));
        p.pausedSince = null;
      }
      p.stoppedAt = at < p.startedAt ? p.startedAt : at;
      p.sessionKey = null;
      p.detail.stopReason = reason;
      return settlePlay(p, at, playRules());
    });
    await upsertPlays(tx, closed);
    return closed.length;
  });
}
