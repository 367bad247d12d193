// Tautulli: the saved connection (tested on save), and imports of its history in pages. Each row is
// stored once (Play.importKey), so re-running is harmless; an import records how far it walked, so a
// worker that died resumes where it stopped; a scheduled run pulls only rows newer than the last.
import type { Actor, RequestMeta } from '../auth/actor';
import { assertCan } from '../auth/permissions';
import { recordAudit } from '../audit';
import { decryptString, encryptString } from '../crypto/encryption';
import { db } from '../db';
import { AppError, notFound } from '../http/errors';
import { env } from '../env';
import { errorFields, logger } from '../logger';
import { jobs } from '../jobs/definitions';
import { decisionOf, getTautulliHistory, getTautulliServerInfo, getTautulliUsers, importKeyOf, type TautulliHistoryRow } from './tautulli';

const AAD = 'tautulli';
export const IMPORT_PAGE_SIZE = 5000;

export interface ImportStatusBody {
  id: string;
  status: 'queued' | 'running' | 'done' | 'failed';
  imported: number;
  skipped: number;
  total: number;
  error?: string;
}


export async function getTautulliConnection(actor: Actor) {
  assertCan(actor, 'history:import');
  const c = await db.tautulliConnection.findUnique({ where: { id: 'default' } });
  return c ? { url: c.url, lastRowId: c.lastRowId, updatedAt: c.updatedAt.toISOString() } : null;
}

/** Tests the URL and key (clear messages for a bad URL, a bad key, not Tautulli), then saves them. */
export async function saveTautulliConnection(actor: Actor, input: { url: string; apiKey: string }, meta?: RequestMeta) {
  assertCan(actor, 'history:import');
  const url = input.url.replace(/\/+$/, '');
  const server = await getTautulliServerInfo(url, input.apiKey);
  const users = await getTautulliUsers(url, input.apiKey);
  const apiKeyEnc = encryptString(input.apiKey, undefined, AAD);
  await db.tautulliConnection.upsert({ where: { id: 'default' }, create: { url, apiKeyEnc }, update: { url, apiKeyEnc } });
  await recordAudit({ actor, action: 'history.tautulli_saved', target: { type: 'tautulli' }, meta, detail: { url } });
  const target = await resolveTargetServer(server.identifier, server.name);
  const known = target.id ? await db.mediaUser.findMany({ where: { serverId: target.id }, select: { externalId: true, name: true } }) : [];
  const byId = new Map(known.map((u) => [u.externalId, u.name]));
  return {
    url,
    server: { name: server.name, matchedServerId: target.matched ? target.id : null },
    users: users.map((u) => ({ ...u, mediaUser: byId.get(u.userId) ?? null })),
  };
}

/** The Marquee Plex server Tautulli watches (its machine id), else the only Plex server, else none. */
async function resolveTargetServer(identifier: string | null, name: string | null): Promise<{ id: string; name: string; matched: boolean }> {
  if (identifier) {
    const s = await db.mediaServer.findFirst({ where: { type: 'plex', machineId: identifier }, select: { id: true, name: true } });
    if (s) return { ...s, matched: true };
  }
  const plex = await db.mediaServer.findMany({ where: { type: 'plex' }, select: { id: true, name: true }, take: 2 });
  if (plex.length === 1) return { ...plex[0]!, matched: true };
  return { id: `tautulli:${identifier ?? 'plex'}`, name: name ?? 'Plex (Tautulli)', matched: false };
}

/** POST /api/imports/tautulli: a queued import of the given or the saved connection. */
export async function startTautulliImport(actor: Actor, input: { url?: string; apiKey?: string }, meta?: RequestMeta, opts: { afterRowId?: number } = {}): Promise<{ id: string }> {
  assertCan(actor, 'history:import');
  const saved = await db.tautulliConnection.findUnique({ where: { id: 'default' } });
  const url = (input.url ?? saved?.url)?.replace(/\/+$/, '');
  if (!url || (!input.apiKey && !saved)) throw new AppError('tautulli_not_configured', 'Save a Tautulli connection first, or send url and apiKey.', { status: 422 });
  if (input.url && !input.apiKey && saved && saved.url !== url) throw new AppError('tautulli_not_configured', 'Send the API key of that Tautulli too.', { status: 422 });
  const running = await db.historyImport.findFirst({ where: { status: { in: ['queued', 'running'] }, updatedAt: { gte: new Date(Date.now() - 3_600_000) } } });
  if (running) return { id: running.id };
  const row = await db.historyImport.create({
    data: {
      url,
      apiKeyEnc: input.apiKey ? encryptString(input.apiKey, undefined, AAD) : null,
      afterRowId: opts.afterRowId ?? 0,
      createdById: actor.kind === 'user' ? actor.id : null,
    },
  });
  if (actor.kind === 'user') await recordAudit({ actor, action: 'history.import_started', target: { type: 'history_import', id: row.id }, meta, detail: { url } });
  await jobs.historyImport.enqueue({ importId: row.id });
  return { id: row.id };
}

/** The scheduled pull: only rows newer than the last import of the saved connection. */
export async function scheduleTautulliPull(actor: Actor): Promise<{ id: string } | null> {
  const saved = await db.tautulliConnection.findUnique({ where: { id: 'default' } });
  if (!saved) return null;
  return startTautulliImport(actor, {}, undefined, { afterRowId: saved.lastRowId });
}

export async function getImportStatus(actor: Actor, id: string): Promise<ImportStatusBody> {
  assertCan(actor, 'history:import');
  const r = await db.historyImport.findUnique({ where: { id } });
  if (!r) throw notFound('Import');
  return { id: r.id, status: r.status, imported: r.imported, skipped: r.skipped, total: r.total, ...(r.error ? { error: r.error } : {}) };
}

const IMPORT_SQL = `
WITH ins AS (
  INSERT INTO "Play" ("id", "serverId", "serverName", "itemKey", "mediaUserId", "mediaUser", "title", "grandparentTitle", "parentIndex", "index",
    "mediaType", "startedAt", "stoppedAt", "lastSeenAt", "pausedS", "watchedS", "durationS", "progressPct", "completed", "decision", "player",
    "platform", "product", "ipAddress", "isLocal", "library", "source", "detail", "importKey")
  SELECT gen_random_uuid()::text, r."serverId", r."serverName", r."itemKey", r."mediaUserId", r."mediaUser", r."title", r."grandparentTitle",
    r."parentIndex", r."index", r."mediaType", r."startedAt", r."stoppedAt", r."stoppedAt", r."pausedS", r."watchedS", r."durationS",
    r."progressPct", r."completed", r."decision", r."player", r."platform", r."product", r."ipAddress", r."isLocal", r."library",
    'import'::"PlaySource", r."detail", r."importKey"
  FROM jsonb_to_recordset($1::jsonb) AS r("serverId" text, "serverName" text, "itemKey" text, "mediaUserId" text, "mediaUser" text, "title" text,
    "grandparentTitle" text, "parentIndex" int, "index" int, "mediaType" text, "startedAt" timestamp, "stoppedAt" timestamp, "pausedS" int,
    "watchedS" int, "durationS" int, "progressPct" float8, "completed" bool, "decision" text, "player" text, "platform" text, "product" text,
    "ipAddress" text, "isLocal" bool, "library" text, "detail" jsonb, "importKey" text)
  ON CONFLICT ("importKey") DO NOTHING
  RETURNING 1
)
SELECT count(*)::int AS n FROM ins`;

function playOfRow(r: TautulliHistoryRow, server: { id: string; name: string }, users: Map<string, string>) {
  const started = r.started ?? r.date;
  if (!started || (r.row_id ?? r.id ?? r.reference_id) === null) return null;
  const stopped = r.stopped && r.stopped >= started ? r.stopped : started + (r.play_duration ?? 0) + (r.paused_counter ?? 0);
  const userId = r.user_id === null || r.user_id === undefined ? null : String(r.user_id);
  const pct = r.percent_complete ?? null;
  const mediaType = r.media_type && ['movie', 'episode', 'track'].includes(r.media_type) ? r.media_type : r.media_type === 'live' ? 'live' : 'other';
  return {
    serverId: server.id, serverName: server.name, itemKey: r.rating_key ?? null,
    mediaUserId: userId, mediaUser: (userId && users.get(userId)) ?? r.friendly_name ?? r.user ?? null,
    title: r.title ?? r.full_title ?? 'Unknown', grandparentTitle: r.grandparent_title ?? null,
    parentIndex: r.parent_media_index ?? null, index: r.media_index ?? null, mediaType,
    startedAt: new Date(started * 1000).toISOString(), stoppedAt: new Date(stopped * 1000).toISOString(),
    pausedS: Math.max(0, Math.round(r.paused_counter ?? 0)), watchedS: Math.max(0, Math.round(r.play_duration ?? stopped - started - (r.paused_counter ?? 0))),
    durationS: r.duration ? Math.round(r.duration) : null, progressPct: pct,
    completed: r.watched_status === 1 || (pct !== null && pct >= env.HISTORY_COMPLETED_PCT),
    decision: decisionOf(r.transcode_decision), player: r.player ?? null, platform: r.platform ?? null, product: r.product ?? null,
    ipAddress: r.ip_address ?? null, isLocal: r.location ? r.location === 'lan' : null, library: r.library_name ?? null,
    detail: { tautulli: { rowId: r.row_id ?? r.id, referenceId: r.reference_id } },
    importKey: importKeyOf(r),
  };
}

/** Inserts a page of rows; returns how many were new. */
async function insertRows(rows: NonNullable<ReturnType<typeof playOfRow>>[]): Promise<number> {
  if (rows.length === 0) return 0;
  const [r] = await db.$queryRawUnsafe<{ n: number }[]>(IMPORT_SQL, JSON.stringify(rows));
  return r?.n ?? 0;
}

/**
 * Runs (or resumes) an import: pages of get_history newest first from the recorded offset. Rows
 * that newer rows push down a page are seen twice and skipped the second time, so none is missed.
 * A Tautulli that refuses (URL, key) fails the import with its message; anything else is thrown
 * for the job to retry, from where it stopped.
 */
export async function runTautulliImport(importId: string, pageSize = IMPORT_PAGE_SIZE): Promise<ImportStatusBody | null> {
  const imp = await db.historyImport.findUnique({ where: { id: importId } });
  if (!imp || imp.status === 'done' || imp.status === 'failed') return null;
  const saved = await db.tautulliConnection.findUnique({ where: { id: 'default' } });
  const sealed = imp.apiKeyEnc ?? saved?.apiKeyEnc;
  try {
    if (!sealed) throw new AppError('tautulli_not_configured', 'The Tautulli connection was removed.', { status: 422 });
    const apiKey = decryptString(sealed, undefined, AAD);
    await db.historyImport.update({ where: { id: importId }, data: { status: 'running' } });
    const info = await getTautulliServerInfo(imp.url, apiKey);
    const server = await resolveTargetServer(info.identifier, info.name);
    const users = new Map((await db.mediaUser.findMany({ where: { serverId: server.id }, select: { externalId: true, name: true } })).map((u) => [u.externalId, u.name]));
    let { offset, imported, skipped, total, maxRowId } = imp;
    // The next page is fetched while this one is written (Tautulli and PostgreSQL work side by side).
    let next = getTautulliHistory(imp.url, apiKey, offset, pageSize);
    for (;;) {
      const page = await next;
      const lastId = page.rows[page.rows.length - 1]?.row_id ?? 0;
      // An incremental pull stops at the first row it already has: no next page to fetch then.
      if (page.rows.length === pageSize && (imp.afterRowId === 0 || lastId > imp.afterRowId)) {
        next = getTautulliHistory(imp.url, apiKey, offset + pageSize, pageSize);
        next.catch(() => {}); // awaited on the next turn; a failure there is handled then
      }
      if (imp.afterRowId === 0) total = page.total;
      const fresh = imp.afterRowId > 0 ? page.rows.filter((r) => (r.row_id ?? r.id ?? 0) > imp.afterRowId) : page.rows;
      const plays = fresh.map((r) => playOfRow(r, server, users)).filter((p) => p !== null);
      const n = await insertRows(plays);
      imported += n;
      skipped += fresh.length - n;
      for (const r of fresh) maxRowId = Math.max(maxRowId, r.row_id ?? r.id ?? 0);
      offset += page.rows.length;
      if (imp.afterRowId > 0) total = imported + skipped;
      const last = page.rows.length < pageSize || fresh.length < page.rows.length;
      await db.historyImport.update({ where: { id: importId }, data: { offset, imported, skipped, total, maxRowId, ...(last ? { status: 'done' } : {}) } });
      if (last) break;
    }
    if (saved && saved.url === imp.url) await db.tautulliConnection.update({ where: { id: 'default' }, data: { lastRowId: Math.max(saved.lastRowId, maxRowId) } });
    // The imported plays marked their hours dirty (a trigger): have the analytics rollups recomputed now.
    if (imported > 0) await jobs.analyticsRefresh.enqueue({}).catch((err) => logger.warn('analytics refresh not queued', errorFields(err)));
    return getImportStatus({ kind: 'system', job: 'history-import' }, importId);
  } catch (err) {
    if (err instanceof AppError) {
      logger.warn('tautulli import failed', { importId, code: err.code, message: err.message });
      await db.historyImport.update({ where: { id: importId }, data: { status: 'failed', error: err.message } });
      return getImportStatus({ kind: 'system', job: 'history-import' }, importId);
    }
    throw err;
  }
}
