// Reading history: one WHERE (filters + the actor's scope) shared by the list, the export, the page
// and the benches, so they all show the same plays. Keyset pages on (startedAt, id).
import { Prisma } from '@/generated/prisma/client';
import type { Actor } from '../auth/actor';
import { db } from '../db';
import { AppError, notFound } from '../http/errors';
import { csvRow, streamJsonArray, streamNdjson } from '../http/csv';
import { inlineParams, streamCopyCsv } from '../database/copy-out';
import { rangeOf, type HistoryFilter, type HistoryQuery } from './schemas';
import type { PlayItemFields, PlaySourceKind, PlayStreamFields } from './plays';

/** The fields of a play in the API and every export, in this order (PRODUCT.md §9). */
export const PLAY_FIELDS = [
  'id', 'serverId', 'serverName', 'mediaUser', 'title', 'grandparentTitle', 'parentIndex', 'index', 'mediaType', 'startedAt', 'stoppedAt',
  'pausedS', 'watchedS', 'durationS', 'progressPct', 'completed', 'decision', 'player', 'platform', 'product', 'ipAddress', 'isLocal', 'library', 'source',
] as const;

/** A play as the API, the page and the exports give it (times ISO 8601). */
export interface PlayRow extends Omit<PlayItemFields, 'sessionKey' | 'itemKey' | 'mediaUserId'>, PlayStreamFields {
  id: string;
  startedAt: string;
  stoppedAt: string | null;
  pausedS: number;
  watchedS: number;
  durationS: number | null;
  progressPct: number | null;
  completed: boolean;
  source: PlaySourceKind;
}

/** "<serverId>:<media user external id>" or "<serverId>:*" (every user of that server). */
export function parseMediaUserPair(value: string): { serverId: string; mediaUserId: string | null } | null {
  const i = value.indexOf(':');
  if (i <= 0 || i === value.length - 1) return null;
  const mediaUserId = value.slice(i + 1);
  return { serverId: value.slice(0, i), mediaUserId: mediaUserId === '*' ? null : mediaUserId };
}

/**
 * The plays an actor may see: admins all; staff and support their servers' plays; uploaders and
 * viewers the (server, media user) pairs an admin allowed them.
 */
export function scopeSql(actor: Actor): Prisma.Sql {
  if (actor.kind === 'system' || actor.role === 'admin') return Prisma.sql`TRUE`;
  if (actor.role === 'staff' || actor.role === 'support') {
    return actor.serverIds.length ? Prisma.sql`p."serverId" IN (${Prisma.join(actor.serverIds)})` : Prisma.sql`FALSE`;
  }
  const pairs = actor.mediaUsers.map(parseMediaUserPair).filter((p) => p !== null);
  if (pairs.length === 0) return Prisma.sql`FALSE`;
  return Prisma.sql`(${Prisma.join(
    pairs.map((p) => (p.mediaUserId === null ? Prisma.sql`p."serverId" = ${p.serverId}` : Prisma.sql`(p."serverId" = ${p.serverId} AND p."mediaUserId" = ${p.mediaUserId})`)),
    ' OR ',
  )})`;
}

const ts = (d: Date) => d.toISOString();

/** Filters and scope as one SQL condition over `p` ("Play"). */
export function historyWhere(actor: Actor, f: Partial<HistoryFilter>): Prisma.Sql {
  const { from, to } = rangeOf(f);
  if (f.from && from && Number.isNaN(from.getTime())) throw new AppError('invalid_from', '`from` is not a valid date (use ISO 8601).', { status: 400 });
  if (from && to && from > to) throw new AppError('invalid_range', '`from` must not be later than `to`.', { status: 400 });
  const parts: Prisma.Sql[] = [scopeSql(actor)];
  if (from) parts.push(Prisma.sql`p."startedAt" >= ${ts(from)}::timestamp`);
  if (to) parts.push(Prisma.sql`p."startedAt" <= ${ts(to)}::timestamp`);
  if (f.serverId) parts.push(Prisma.sql`p."serverId" = ${f.serverId}`);
  if (f.library) parts.push(Prisma.sql`p."library" = ${f.library}`);
  if (f.mediaUser) parts.push(Prisma.sql`p."mediaUser" = ${f.mediaUser}`);
  if (f.mediaType) parts.push(Prisma.sql`p."mediaType" = ${f.mediaType}`);
  if (f.decision) parts.push(Prisma.sql`p."decision" = ${f.decision}`);
  if (f.completed !== undefined) parts.push(Prisma.sql`p."completed" = ${f.completed}`);
  if (f.source) parts.push(Prisma.sql`p."source" = ${f.source}::"PlaySource"`);
  if (f.q) {
    const like = `%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    parts.push(Prisma.sql`(p."title" ILIKE ${like} OR p."grandparentTitle" ILIKE ${like})`);
  }
  return Prisma.join(parts, ' AND ');
}

// Times leave PostgreSQL as ISO 8601 text: building a Date per timestamp is most of what reading a
// million rows costs, and the API and exports want the text anyway.
const iso = (col: string) => `to_char(p."${col}", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "${col}"`;

/** The columns of PLAY_FIELDS (plus what an open play needs to compute its watched time so far). */
export const PLAY_SELECT = Prisma.raw(
  `p."id", p."serverId", p."serverName", p."mediaUser", p."title", p."grandparentTitle", p."parentIndex", p."index", p."mediaType",
   ${iso('startedAt')}, ${iso('stoppedAt')}, p."pausedS", p."watchedS", p."durationS", p."progressPct", p."completed", p."decision", p."player",
   p."platform", p."product", p."ipAddress", p."isLocal", p."library", p."source"::text AS "source", ${iso('pausedSince')}`,
);

type RawPlay = Omit<PlayRow, 'startedAt' | 'stoppedAt'> & { startedAt: string; stoppedAt: string | null; pausedSince: string | null };

export function toPlayRow(r: RawPlay, now = new Date()): PlayRow {
  let watchedS = r.watchedS;
  if (!r.stoppedAt) {
    // Still playing: watched so far, pauses (and the one in progress) excluded.
    const pausing = r.pausedSince ? Math.max(0, now.getTime() - Date.parse(r.pausedSince)) : 0;
    watchedS = Math.max(0, Math.round((now.getTime() - Date.parse(r.startedAt) - pausing) / 1000) - r.pausedS);
  }
  return {
    id: r.id, serverId: r.serverId, serverName: r.serverName, mediaUser: r.mediaUser, title: r.title, grandparentTitle: r.grandparentTitle,
    parentIndex: r.parentIndex, index: r.index, mediaType: r.mediaType, startedAt: r.startedAt, stoppedAt: r.stoppedAt,
    pausedS: r.pausedS, watchedS, durationS: r.durationS, progressPct: r.progressPct, completed: r.completed, decision: r.decision,
    player: r.player, platform: r.platform, product: r.product, ipAddress: r.ipAddress, isLocal: r.isLocal, library: r.library, source: r.source,
  };
}

type Key = { t: string; id: string };

function keysetSql(after: Key | null, order: 'asc' | 'desc'): Prisma.Sql {
  if (!after) return Prisma.sql`TRUE`;
  return order === 'desc'
    ? Prisma.sql`(p."startedAt", p."id") < (${after.t}::timestamp, ${after.id})`
    : Prisma.sql`(p."startedAt", p."id") > (${after.t}::timestamp, ${after.id})`;
}

async function fetchPlays(where: Prisma.Sql, after: Key | null, order: 'asc' | 'desc', limit: number): Promise<RawPlay[]> {
  const dir = Prisma.raw(order === 'desc' ? 'DESC' : 'ASC');
  return db.$queryRaw<RawPlay[]>`
    SELECT ${PLAY_SELECT} FROM "Play" p
    WHERE ${where} AND ${keysetSql(after, order)}
    ORDER BY p."startedAt" ${dir}, p."id" ${dir}
    LIMIT ${limit}`;
}

export function encodeCursor(k: Key): string {
  return `${Date.parse(k.t)}_${k.id}`;
}

function decodeCursor(c: string): Key {
  const i = c.indexOf('_');
  return { t: new Date(Number(c.slice(0, i))).toISOString(), id: c.slice(i + 1) };
}

/** A page of plays, newest first by default. */
export async function listPlays(actor: Actor, q: HistoryQuery): Promise<{ plays: PlayRow[]; nextCursor: string | null }> {
  const where = historyWhere(actor, q);
  const rows = await fetchPlays(where, q.cursor ? decodeCursor(q.cursor) : null, q.order, q.limit + 1);
  const page = rows.slice(0, q.limit);
  const last = page[page.length - 1];
  const now = new Date();
  return { plays: page.map((r) => toPlayRow(r, now)), nextCursor: rows.length > q.limit && last ? encodeCursor({ t: last.startedAt, id: last.id }) : null };
}

/** One play with its detail (stream decisions and resolutions, pauses), if the actor may see it. */
export async function getPlay(actor: Actor, id: string) {
  const rows = await db.$queryRaw<(RawPlay & { detail: unknown; positionS: number | null; sessionKey: string | null })[]>`
    SELECT ${PLAY_SELECT}, p."detail", p."positionS", p."sessionKey" FROM "Play" p WHERE p."id" = ${id} AND ${scopeSql(actor)}`;
  const r = rows[0];
  if (!r) throw notFound('Play');
  return { ...toPlayRow(r), positionS: r.positionS, detail: r.detail as Record<string, unknown> };
}

/** The export's file name: the date range it covers. */
export function exportFilename(f: Partial<HistoryFilter>, format: string): string {
  const { from, to } = rangeOf(f);
  const d = (x: Date | null) => (x ? x.toISOString().slice(0, 10) : null);
  const range = from || to ? `${d(from) ?? 'start'}_to_${d(to) ?? new Date().toISOString().slice(0, 10)}` : `all_to_${new Date().toISOString().slice(0, 10)}`;
  return `marquee-history-${range}.${format}`;
}

/**
 * A keyset page reader that asks PostgreSQL for the next page as soon as this one is in, so the
 * database reads page n+1 while page n is encoded and sent (at most two pages in memory).
 */
function prefetching(where: Prisma.Sql, order: 'asc' | 'desc') {
  let ahead: { after: Key | null; limit: number; rows: Promise<RawPlay[]> } | null = null;
  const read = (after: Key | null, limit: number) => {
    const rows = fetchPlays(where, after, order, limit);
    rows.catch(() => {}); // awaited by the next fetchPage; its failure surfaces there
    return rows;
  };
  return async (after: Key | null, limit: number): Promise<RawPlay[]> => {
    const hit = ahead && ahead.limit === limit && ahead.after?.id === after?.id && ahead.after?.t === after?.t;
    const rows = await (hit ? ahead!.rows : read(after, limit));
    const last = rows[rows.length - 1];
    ahead = rows.length === limit && last ? { after: { t: last.startedAt, id: last.id }, limit, rows: read({ t: last.startedAt, id: last.id }, limit) } : null;
    return rows;
  };
}

// The CSV export is PostgreSQL's own `COPY … CSV` of cells already written the way lib/http/csv.ts
// csvCell writes them: formula-looking text gets a leading ' (and an empty text becomes NULL, as COPY
// would quote an empty string), booleans true/false, times ISO 8601, an open play's watched time so
// far as toPlayRow computes it. COPY's own quoting (a cell holding , " CR or LF) is csvCell's.
// tests/integration/history-http.test.ts checks the bytes equal csvRow() of the JSON export.
const textCell = (x: string) => `NULLIF(CASE WHEN left(${x}, 1) IN ('=', '+', '-', '@', chr(9), chr(13)) THEN '''' || ${x} ELSE ${x} END, '')`;
const boolCell = (x: string) => `CASE WHEN ${x} THEN 'true' WHEN NOT ${x} THEN 'false' END`;
const isoCell = (col: string) => `to_char(p."${col}", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

function csvSelectSql(now: Date): string {
  const n = `'${now.toISOString()}'::timestamp`;
  const secs = (x: string) => `extract(epoch FROM (${n} - ${x}))`;
  // Math.round is floor(x + 0.5); the pause in progress counts from pausedSince, never negative.
  const watched = `CASE WHEN p."stoppedAt" IS NULL THEN GREATEST(0, floor(${secs('p."startedAt"')} - CASE WHEN p."pausedSince" IS NULL THEN 0 ELSE GREATEST(0, ${secs('p."pausedSince"')}) END + 0.5)::bigint - p."pausedS") ELSE p."watchedS" END`;
  const text = (col: string) => textCell(`p."${col}"`);
  const cells: Record<(typeof PLAY_FIELDS)[number], string> = {
    id: text('id'), serverId: text('serverId'), serverName: text('serverName'), mediaUser: text('mediaUser'), title: text('title'),
    grandparentTitle: text('grandparentTitle'), parentIndex: 'p."parentIndex"', index: 'p."index"', mediaType: text('mediaType'),
    startedAt: isoCell('startedAt'), stoppedAt: isoCell('stoppedAt'), pausedS: 'p."pausedS"', watchedS: watched, durationS: 'p."durationS"',
    // + 0 turns -0 into 0, as JavaScript prints it.
    progressPct: 'p."progressPct" + 0', completed: boolCell('p."completed"'), decision: text('decision'), player: text('player'),
    platform: text('platform'), product: text('product'), ipAddress: text('ipAddress'), isLocal: boolCell('p."isLocal"'), library: text('library'),
    source: textCell('p."source"::text'),
  };
  return PLAY_FIELDS.map((f) => `${cells[f]} AS "${f}"`).join(', ');
}

/** Every matching play, streamed (constant memory whatever the size). */
export function exportPlays(actor: Actor, f: HistoryFilter, format: 'csv' | 'json' | 'ndjson', batch = 5000): ReadableStream<Uint8Array> {
  const where = historyWhere(actor, f);
  const now = new Date();
  if (format === 'csv') {
    const dir = f.order === 'desc' ? 'DESC' : 'ASC';
    // COPY takes no bind parameters: the filter values are written in as escaped literals.
    const select = inlineParams(`SELECT ${csvSelectSql(now)} FROM "Play" p WHERE ${where.text} ORDER BY p."startedAt" ${dir}, p."id" ${dir}`, where.values);
    return streamCopyCsv(select, csvRow(PLAY_FIELDS));
  }
  const fetchPage = prefetching(where, f.order);
  const source = {
    batch,
    fetchPage: async (after: Key | null, limit: number) => (await fetchPage(after, limit)).map((r) => Object.assign(toPlayRow(r, now), { [KEY]: { t: r.startedAt, id: r.id } })),
    keyOf: (r: PlayRow) => (r as unknown as Record<symbol, Key>)[KEY]!,
  };
  return format === 'json' ? streamJsonArray(source) : streamNdjson(source);
}

const KEY = Symbol('key');

/** The synced media users by server, for picking a user's (server, media user) history scope. */
export async function listMediaUserChoices() {
  return db.mediaServer.findMany({
    select: { id: true, name: true, users: { select: { externalId: true, name: true }, orderBy: { name: 'asc' } } },
    orderBy: { name: 'asc' },
  });
}
