// The writes of a whole poll cycle in one set-based statement, whatever the number of servers:
// server health, the changed part of each live snapshot, playback events, bandwidth samples, grace
// periods of sessions rules no longer object to, pruning, and the live notification. A steady
// cycle where nothing changed writes the server rows and one sample per server, nothing else.
import { randomUUID } from 'node:crypto';
import { db } from '../db';
import type { PlaybackEventRow } from '../history';
import { LIVE_CHANNEL } from './live-bus';
import type { CachedSnapshot } from './snapshot-cache';

export interface ServerWrite {
  serverId: string;
  /** The `snapshotVersion` the diff was made against: the write happens only if it is still current. */
  version: number;
  ok: boolean;
  health: 'ok' | 'degraded' | 'down';
  lastError: string | null;
  consecutiveFailures: number;
  at: Date;
  nextPollAt: Date;
  inserts: { id: string; sessionKey: string; json: string; startedAt: Date }[];
  updates: { id: string; json: string }[];
  deletes: string[];
  events: PlaybackEventRow[];
  sample: { totalKbps: number; lanKbps: number; wanKbps: number; streams: number; transcodes: number } | null;
  /** ok polls: the sessions each rule still objects to (their grace periods are kept, others cleared). */
  pending: { ruleId: string; sessionKey: string }[] | null;
  /** The snapshot once written (its version is `version + 1`). */
  next: CachedSnapshot;
}

export const newSessionId = () => randomUUID();

const iso = (d: Date) => d.toISOString();

// Prisma keeps DateTime as UTC wall time in `timestamp` columns: ISO strings cast to timestamp keep
// that whatever the connection's TimeZone. Rows are joined to `srv`, the servers whose row was
// updated (still enabled, version unchanged), so nothing of a server that was disabled, deleted or
// written by someone else meanwhile is written; the UPDATE takes the row lock a disable takes, and
// a server's other rows (pruned samples included) are touched only once that lock is held.
const SQL = `
WITH srv AS (
  UPDATE "MediaServer" AS m SET
    "health" = u.health::"ServerHealth", "lastError" = u.err, "consecutiveFailures" = u.failures,
    "lastPolledAt" = u.at::timestamp, "lastOkAt" = CASE WHEN u.ok THEN u.at::timestamp ELSE m."lastOkAt" END,
    "nextPollAt" = u.next::timestamp, "snapshotVersion" = m."snapshotVersion" + 1, "updatedAt" = $9::timestamp
  FROM unnest($1::text[], $2::int[], $3::bool[], $4::text[], $5::text[], $6::int[], $7::text[], $8::text[]) AS u(id, version, ok, health, err, failures, at, next)
  WHERE m."id" = u.id AND m."enabled" AND m."snapshotVersion" = u.version
  RETURNING m."id"
), gone AS (
  DELETE FROM "LiveSession" AS l USING unnest($10::text[], $11::text[]) AS d(id, server) JOIN srv ON srv.id = d.server
  WHERE l."id" = d.id
), added AS (
  INSERT INTO "LiveSession" ("id", "serverId", "sessionKey", "data", "startedAt", "updatedAt")
  SELECT i.id, i.server, i.key, i.data::jsonb, i.started::timestamp, i.at::timestamp
  FROM unnest($12::text[], $13::text[], $14::text[], $15::text[], $16::text[], $17::text[]) AS i(id, server, key, data, started, at) JOIN srv ON srv.id = i.server
), changed AS (
  UPDATE "LiveSession" AS l SET "data" = c.data::jsonb, "updatedAt" = c.at::timestamp
  FROM unnest($18::text[], $19::text[], $20::text[], $21::text[]) AS c(id, server, data, at) JOIN srv ON srv.id = c.server
  WHERE l."id" = c.id
), events AS (
  INSERT INTO "PlaybackEvent" ("serverId", "sessionKey", "kind", "at", "mediaUser", "progressMs", "data")
  SELECT e.server, e.key, e.kind::"PlaybackEventKind", e.at::timestamp, e.who, e.progress, e.data::jsonb
  FROM unnest($22::text[], $23::text[], $24::text[], $25::text[], $26::text[], $27::int[], $28::text[]) WITH ORDINALITY AS e(server, key, kind, at, who, progress, data, n)
  JOIN srv ON srv.id = e.server
  ORDER BY e.n
), samples AS (
  INSERT INTO "BandwidthSample" ("serverId", "at", "totalKbps", "lanKbps", "wanKbps", "streams", "transcodes")
  SELECT b.server, b.at::timestamp, b.total, b.lan, b.wan, b.streams, b.transcodes
  FROM unnest($29::text[], $30::text[], $31::int[], $32::int[], $33::int[], $34::int[], $35::int[]) AS b(server, at, total, lan, wan, streams, transcodes) JOIN srv ON srv.id = b.server
), pruned AS (
  DELETE FROM "BandwidthSample" AS o USING srv WHERE o."serverId" = srv.id AND o."serverId" = ANY($36::text[]) AND o."at" < $37::timestamp
), unpended AS (
  DELETE FROM "RulePending" AS p USING srv
  WHERE p."serverId" = srv.id AND p."serverId" = ANY($38::text[])
    AND NOT EXISTS (SELECT 1 FROM unnest($39::text[], $40::text[], $41::text[]) AS k(server, rule, key) WHERE k.server = p."serverId" AND k.rule = p."ruleId" AND k.key = p."sessionKey")
)
SELECT srv.id, pg_notify($42, srv.id) IS NULL AS "notified" FROM srv`;

/**
 * Writes a cycle's servers; `pruneIds` lose their samples older than `pruneBefore`. Returns the ids
 * written; a server left out was disabled, deleted, or its snapshot changed since it was read.
 */
export async function writePollCycle(writes: ServerWrite[], pruneIds: string[], pruneBefore: Date): Promise<Set<string>> {
  const s = { id: [] as string[], version: [] as number[], ok: [] as boolean[], health: [] as string[], err: [] as (string | null)[], failures: [] as number[], at: [] as string[], next: [] as string[] };
  const del = { id: [] as string[], server: [] as string[] };
  const ins = { id: [] as string[], server: [] as string[], key: [] as string[], data: [] as string[], started: [] as string[], at: [] as string[] };
  const upd = { id: [] as string[], server: [] as string[], data: [] as string[], at: [] as string[] };
  const ev = { server: [] as string[], key: [] as string[], kind: [] as string[], at: [] as string[], who: [] as (string | null)[], progress: [] as number[], data: [] as string[] };
  const bw = { server: [] as string[], at: [] as string[], total: [] as number[], lan: [] as number[], wan: [] as number[], streams: [] as number[], transcodes: [] as number[] };
  const pendingServers: string[] = [];
  const keep = { server: [] as string[], rule: [] as string[], key: [] as string[] };
  for (const w of writes) {
    const at = iso(w.at);
    s.id.push(w.serverId); s.version.push(w.version); s.ok.push(w.ok); s.health.push(w.health); s.err.push(w.lastError);
    s.failures.push(w.consecutiveFailures); s.at.push(at); s.next.push(iso(w.nextPollAt));
    for (const id of w.deletes) { del.id.push(id); del.server.push(w.serverId); }
    for (const r of w.inserts) { ins.id.push(r.id); ins.server.push(w.serverId); ins.key.push(r.sessionKey); ins.data.push(r.json); ins.started.push(iso(r.startedAt)); ins.at.push(at); }
    for (const r of w.updates) { upd.id.push(r.id); upd.server.push(w.serverId); upd.data.push(r.json); upd.at.push(at); }
    for (const e of w.events) {
      ev.server.push(e.serverId); ev.key.push(e.sessionKey); ev.kind.push(e.kind); ev.at.push(iso(e.at)); ev.who.push(e.mediaUser);
      ev.progress.push(e.progressMs); ev.data.push(JSON.stringify(e.data));
    }
    if (w.sample) {
      bw.server.push(w.serverId); bw.at.push(at); bw.total.push(w.sample.totalKbps); bw.lan.push(w.sample.lanKbps); bw.wan.push(w.sample.wanKbps);
      bw.streams.push(w.sample.streams); bw.transcodes.push(w.sample.transcodes);
    }
    if (w.pending) {
      pendingServers.push(w.serverId);
      for (const p of w.pending) { keep.server.push(w.serverId); keep.rule.push(p.ruleId); keep.key.push(p.sessionKey); }
    }
  }
  const rows = await db.$queryRawUnsafe<{ id: string }[]>(SQL,
    s.id, s.version, s.ok, s.health, s.err, s.failures, s.at, s.next, iso(new Date()),
    del.id, del.server,
    ins.id, ins.server, ins.key, ins.data, ins.started, ins.at,
    upd.id, upd.server, upd.data, upd.at,
    ev.server, ev.key, ev.kind, ev.at, ev.who, ev.progress, ev.data,
    bw.server, bw.at, bw.total, bw.lan, bw.wan, bw.streams, bw.transcodes,
    pruneIds, iso(pruneBefore),
    pendingServers, keep.server, keep.rule, keep.key,
    LIVE_CHANNEL,
  );
  return new Set(rows.map((r) => r.id));
}
