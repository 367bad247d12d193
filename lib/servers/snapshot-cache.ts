// The poller's in-memory copy of each server's live snapshot, so a poll compares what the server
// lists with what was written last time and writes only the difference. The database stays the
// truth: every writer of a snapshot bumps the server's `snapshotVersion`, and a poll writes only if
// the version it read is still current (otherwise it reloads the copy and diffs again).
import { db } from '../db';
import type { ProviderSession } from '../media-servers';

export interface CachedSession {
  id: string;
  startedAt: Date;
  /** The session as stored. */
  session: ProviderSession;
}

export interface CachedSnapshot {
  version: number;
  sessions: Map<string, CachedSession>;
}

const g = globalThis as unknown as { __marqueeSnapshots?: Map<string, CachedSnapshot> };
const cache = (g.__marqueeSnapshots ??= new Map());

export function cachedSnapshot(serverId: string): CachedSnapshot | undefined {
  return cache.get(serverId);
}

export function rememberSnapshot(serverId: string, snapshot: CachedSnapshot): void {
  cache.set(serverId, snapshot);
}

export function forgetSnapshot(serverId: string): void {
  cache.delete(serverId);
}

/**
 * Reads the stored snapshots (and whether each server is still enabled) of these servers into the
 * copy, in one statement. Returns the ids of those that are enabled.
 */
export async function loadSnapshots(serverIds: string[]): Promise<Set<string>> {
  if (serverIds.length === 0) return new Set();
  const rows = await db.$queryRawUnsafe<{ serverId: string; enabled: boolean; version: number; id: string | null; sessionKey: string | null; startedAt: Date | null; data: ProviderSession | null }[]>(
    `SELECT m."id" AS "serverId", m."enabled", m."snapshotVersion" AS "version", l."id", l."sessionKey", l."startedAt", l."data"
     FROM "MediaServer" m LEFT JOIN "LiveSession" l ON l."serverId" = m."id"
     WHERE m."id" = ANY($1::text[])`,
    serverIds,
  );
  const enabled = new Set<string>();
  const loaded = new Map<string, CachedSnapshot>();
  for (const r of rows) {
    if (r.enabled) enabled.add(r.serverId);
    let snap = loaded.get(r.serverId);
    if (!snap) loaded.set(r.serverId, (snap = { version: r.version, sessions: new Map() }));
    if (r.id && r.sessionKey && r.data) snap.sessions.set(r.sessionKey, { id: r.id, startedAt: r.startedAt!, session: r.data });
  }
  for (const id of serverIds) {
    const snap = loaded.get(id);
    if (snap) cache.set(id, snap);
    else cache.delete(id);
  }
  return enabled;
}

/** After this process closed some sessions itself (bumping the version once), keep the copy current. */
export function dropFromSnapshot(serverId: string, sessionKeys: string[], newVersion: number): void {
  const snap = cache.get(serverId);
  if (!snap || snap.version + 1 !== newVersion) {
    cache.delete(serverId);
    return;
  }
  const sessions = new Map(snap.sessions);
  for (const key of sessionKeys) sessions.delete(key);
  cache.set(serverId, { version: newVersion, sessions });
}

/**
 * Whether a session is as stored. Its fields are plain values, so comparing them one by one is
 * enough (and cheaper than serializing every session every poll); a field of another kind never
 * compares equal, which only costs a rewrite.
 */
export function isUnchanged(stored: ProviderSession, current: ProviderSession): boolean {
  const a = stored as unknown as Record<string, unknown>;
  const b = current as unknown as Record<string, unknown>;
  let fields = 0;
  for (const key in b) {
    if (a[key] !== b[key] && !(a[key] === undefined && b[key] === null) && !(a[key] === null && b[key] === undefined)) return false;
    fields += 1;
  }
  for (const key in a) if (!(key in b) && a[key] !== undefined && a[key] !== null) return false;
  return fields > 0;
}
