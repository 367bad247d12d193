// Marquee plays as Tautulli's history tables see them: which plays a call covers (the actor's scope
// through lib/history's one WHERE, plus Tautulli's filters), and the integer ids Tautulli's rows carry
// (user_id, rating_key, parent/grandparent_rating_key, section_id, row_id). Shared by get_history,
// get_home_stats and the graph commands.
import { Prisma } from '@/generated/prisma/client';
import type { UserActor } from '../auth/actor';
import { db } from '../db';
import { historyWhere, type HistoryFilter } from '../history/read';
import type { PlayItemFields, PlayStreamFields } from '../history/plays';
import { resolveTautulliId, tautulliIds, type TautulliIdKind } from './ids';
import { TautulliError, type TautulliContext } from './types';

/** The Play columns the Tautulli commands read (times as epoch seconds). */
export const TPLAY_SELECT = Prisma.raw(`p."id", p."serverId", p."serverName", p."sessionKey", p."itemKey", p."mediaUserId", p."mediaUser",
  p."title", p."grandparentTitle", p."parentIndex", p."index", p."mediaType",
  extract(epoch FROM p."startedAt")::float8 AS "startedAt", extract(epoch FROM p."stoppedAt")::float8 AS "stoppedAt",
  extract(epoch FROM p."pausedSince")::float8 AS "pausedSince", p."pausedS", p."watchedS", p."durationS", p."progressPct", p."completed",
  p."decision", p."player", p."platform", p."product", p."ipAddress", p."isLocal", p."library"`);

/** A play as the Tautulli commands read it (times as epoch seconds, Tautulli's unit). */
export interface TPlay extends PlayItemFields, PlayStreamFields {
  id: string;
  startedAt: number;
  stoppedAt: number | null;
  pausedSince: number | null;
  pausedS: number;
  watchedS: number;
  durationS: number | null;
  progressPct: number | null;
  completed: boolean;
}

// ---- synthetic external ids -------------------------------------------------------------------
// A play records its item's own key and its media user's id, not the show's or season's keys (the
// providers and webhooks do not report them). Shows and seasons get a stable integer from their
// title (and season number) on their server instead, so a grandparent_rating_key a client read
// from a row or a home-stats card finds the same plays when sent back as a filter.
const SEP = '\u001f';
const NAME = 'name';
const SHOW = 'show';
const SEASON = 'season';
const ITEM = 'title';

/** The media user's external id: its server id, else its name (imported or webhook plays without one). */
export const userExt = (p: Pick<TPlay, 'mediaUserId' | 'mediaUser'>) => p.mediaUserId ?? `${NAME}${SEP}${p.mediaUser ?? ''}`;
export const itemExt = (p: Pick<TPlay, 'itemKey' | 'mediaType' | 'grandparentTitle' | 'parentIndex' | 'index' | 'title'>) =>
  p.itemKey ?? [ITEM, p.mediaType, p.grandparentTitle ?? '', p.parentIndex ?? '', p.index ?? '', p.title].join(SEP);
export const grandparentExt = (p: Pick<TPlay, 'grandparentTitle'>) => (p.grandparentTitle ? `${SHOW}${SEP}${p.grandparentTitle}` : null);
export const parentExt = (p: Pick<TPlay, 'grandparentTitle' | 'parentIndex'>) =>
  p.grandparentTitle && p.parentIndex !== null ? `${SEASON}${SEP}${p.grandparentTitle}${SEP}${p.parentIndex}` : null;

/** Which servers are Plex (their own integer ids are kept). Deleted servers count as not Plex. */
export async function plexServers(serverIds: Iterable<string>): Promise<Set<string>> {
  const ids = [...new Set(serverIds)];
  if (ids.length === 0) return new Set();
  const rows = await db.mediaServer.findMany({ where: { id: { in: ids }, type: 'plex' }, select: { id: true } });
  return new Set(rows.map((r) => r.id));
}

export async function allPlexServerIds(): Promise<string[]> {
  return (await db.mediaServer.findMany({ where: { type: 'plex' }, select: { id: true } })).map((r) => r.id);
}

/** Integer ids for (server, external id) pairs of one kind: a lookup `(serverId, ext) → id`. */
export async function idsFor(kind: TautulliIdKind, pairs: { serverId: string; ext: string | null }[], plex: Set<string>): Promise<(serverId: string, ext: string | null) => number | null> {
  const byServer = new Map<string, Set<string>>();
  for (const { serverId, ext } of pairs) {
    if (ext === null) continue;
    let s = byServer.get(serverId);
    if (!s) byServer.set(serverId, (s = new Set()));
    s.add(ext);
  }
  const out = new Map<string, Map<string, number>>();
  for (const [serverId, exts] of byServer) out.set(serverId, await tautulliIds(kind, serverId, exts, plex.has(serverId)));
  return (serverId, ext) => (ext === null ? null : (out.get(serverId)?.get(ext) ?? null));
}

/** Library names → Tautulli section ids, per server. */
export async function sectionIdsFor(pairs: { serverId: string; library: string | null }[], plex: Set<string>): Promise<(serverId: string, library: string | null) => number | null> {
  const wanted = pairs.filter((p) => p.library);
  if (wanted.length === 0) return () => null;
  const libs = await db.mediaLibrary.findMany({
    where: { OR: wanted.map((p) => ({ serverId: p.serverId, name: p.library! })) },
    select: { serverId: true, name: true, externalId: true },
  });
  const ext = new Map(libs.map((l) => [`${l.serverId}${SEP}${l.name}`, l.externalId]));
  const lookup = await idsFor('library', libs.map((l) => ({ serverId: l.serverId, ext: l.externalId })), plex);
  return (serverId, library) => (library ? lookup(serverId, ext.get(`${serverId}${SEP}${library}`) ?? null) : null);
}

// ---- filters ----------------------------------------------------------------------------------

/** Tautulli's comma-separated lists ("1,2"). */
export function list(value: string | undefined): string[] {
  return (value ?? '').split(',').map((s) => s.trim()).filter(Boolean);
}

export function ints(ctx: TautulliContext, name: string): number[] {
  return list(ctx.params.str(name)).map((v) => {
    const n = Number(v);
    if (!Number.isInteger(n)) throw new TautulliError(`Invalid ${name}: ${v}`);
    return n;
  });
}

const anyOf = (parts: Prisma.Sql[]) => (parts.length ? Prisma.sql`(${Prisma.join(parts, ' OR ')})` : Prisma.sql`FALSE`);

/** `user_id=…`: the media users those ids stand for. */
export async function userIdCondition(ids: number[]): Promise<Prisma.Sql> {
  const plexIds = await allPlexServerIds();
  const parts: Prisma.Sql[] = [];
  for (const id of ids) {
    for (const { serverId, externalId } of await resolveTautulliId('user', id, plexIds)) {
      parts.push(
        externalId.startsWith(NAME + SEP)
          ? Prisma.sql`(p."serverId" = ${serverId} AND p."mediaUserId" IS NULL AND p."mediaUser" = ${externalId.slice(NAME.length + 1)})`
          : Prisma.sql`(p."serverId" = ${serverId} AND p."mediaUserId" = ${externalId})`,
      );
    }
  }
  return anyOf(parts);
}

/** `rating_key` / `parent_rating_key` / `grandparent_rating_key`: the items, seasons or shows those ids stand for. */
async function itemCondition(ids: number[]): Promise<Prisma.Sql> {
  const plexIds = await allPlexServerIds();
  const parts: Prisma.Sql[] = [];
  for (const id of ids) {
    for (const { serverId, externalId } of await resolveTautulliId('item', id, plexIds)) {
      const f = externalId.split(SEP);
      if (f[0] === SHOW && f.length === 2) parts.push(Prisma.sql`(p."serverId" = ${serverId} AND p."grandparentTitle" = ${f[1]})`);
      else if (f[0] === SEASON && f.length === 3) parts.push(Prisma.sql`(p."serverId" = ${serverId} AND p."grandparentTitle" = ${f[1]} AND p."parentIndex" = ${Number(f[2])})`);
      else if (f[0] === ITEM && f.length === 6) {
        parts.push(Prisma.sql`(p."serverId" = ${serverId} AND p."itemKey" IS NULL AND p."mediaType" = ${f[1]} AND COALESCE(p."grandparentTitle", '') = ${f[2]}
          AND COALESCE(p."parentIndex"::text, '') = ${f[3]} AND COALESCE(p."index"::text, '') = ${f[4]} AND p."title" = ${f[5]})`);
      } else parts.push(Prisma.sql`(p."serverId" = ${serverId} AND p."itemKey" = ${externalId})`);
    }
  }
  return anyOf(parts);
}

/** `section_id=…`: plays of those libraries (a play records its library by name). */
export async function sectionCondition(ids: number[]): Promise<Prisma.Sql> {
  const plexIds = await allPlexServerIds();
  const parts: Prisma.Sql[] = [];
  for (const id of ids) {
    for (const { serverId, externalId } of await resolveTautulliId('library', id, plexIds)) {
      const lib = await db.mediaLibrary.findUnique({ where: { serverId_externalId: { serverId, externalId } }, select: { name: true } });
      if (lib) parts.push(Prisma.sql`(p."serverId" = ${serverId} AND p."library" = ${lib.name})`);
    }
  }
  return anyOf(parts);
}

/** The actor's timezone if PostgreSQL and Intl know it, else UTC. */
export function timezoneOf(actor: UserActor): string {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: actor.timezone });
    return actor.timezone || 'UTC';
  } catch {
    return 'UTC';
  }
}

/** A play's start as a local timestamp in `tz` (SQL). */
export const localStart = (tz: string) => Prisma.sql`((p."startedAt" AT TIME ZONE 'UTC') AT TIME ZONE ${tz})`;

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Midnight UTC of `day` plus `shift` days, ISO 8601. */
export const utcDay = (day: string, shift: number) => new Date(Date.parse(`${day}T00:00:00Z`) + shift * 86_400_000).toISOString();
export function days(ctx: TautulliContext, name: string): string[] {
  return list(ctx.params.str(name)).map((d) => {
    if (!DAY.test(d) || Number.isNaN(Date.parse(d))) throw new TautulliError(`Invalid ${name} date: ${d}`);
    return d;
  });
}

/**
 * The plays a call covers: the key owner's scope (lib/history historyWhere) and `server_id` (the
 * servers ctx.serverIds narrows to). Without `server_id` every play the owner may see counts, plays
 * of deleted servers included, as in GET /api/history.
 */
export function scopeWhere(ctx: TautulliContext, f: Partial<HistoryFilter> = {}): Prisma.Sql {
  const parts = [historyWhere(ctx.actor, f)];
  if (ctx.params.str('server_id') !== undefined) parts.push(ctx.serverIds.length ? Prisma.sql`p."serverId" IN (${Prisma.join(ctx.serverIds)})` : Prisma.sql`FALSE`);
  return Prisma.join(parts, ' AND ');
}

const MEDIA_TYPES = new Set(['movie', 'episode', 'track', 'live', 'other']);
const DECISIONS: Record<string, string> = { 'direct play': 'directplay', copy: 'directstream', transcode: 'transcode' };

/**
 * get_history's filters (webserve.py get_history) as SQL over `p`: user_id (else user), rating_key,
 * parent_rating_key, grandparent_rating_key, start_date, before, after (local dates in the key
 * owner's timezone, before/after exclusive as Tautulli's query is), section_id, media_type,
 * transcode_decision. Single values go through historyWhere's own filters.
 */
export async function historyFilters(ctx: TautulliContext): Promise<Prisma.Sql> {
  const p = ctx.params;
  const f: Partial<HistoryFilter> = {};
  const parts: Prisma.Sql[] = [];
  const tz = timezoneOf(ctx.actor);
  const userIds = ints(ctx, 'user_id');
  const users = list(p.str('user'));
  if (userIds.length) parts.push(await userIdCondition(userIds));
  else if (users.length === 1) f.mediaUser = users[0];
  else if (users.length) parts.push(Prisma.sql`p."mediaUser" IN (${Prisma.join(users)})`);
  const ratingKeys = ints(ctx, 'rating_key');
  if (ratingKeys.length) parts.push(await itemCondition(ratingKeys));
  const parentKeys = ints(ctx, 'parent_rating_key');
  if (parentKeys.length) parts.push(await itemCondition(parentKeys));
  const grandparentKeys = ints(ctx, 'grandparent_rating_key');
  if (grandparentKeys.length) parts.push(await itemCondition(grandparentKeys));
  const local = Prisma.sql`to_char(${localStart(tz)}, 'YYYY-MM-DD')`;
  // Each local-date condition comes with a looser UTC bound the (startedAt, id) index can serve
  // (no timezone is more than a day from UTC).
  const on = days(ctx, 'start_date');
  if (on.length) {
    const sorted = [...on].sort();
    parts.push(Prisma.sql`${local} IN (${Prisma.join(on)}) AND p."startedAt" >= ${utcDay(sorted[0]!, -1)}::timestamp AND p."startedAt" < ${utcDay(sorted.at(-1)!, 2)}::timestamp`);
  }
  for (const d of days(ctx, 'before')) parts.push(Prisma.sql`${local} < ${d} AND p."startedAt" < ${utcDay(d, 1)}::timestamp`);
  for (const d of days(ctx, 'after')) parts.push(Prisma.sql`${local} > ${d} AND p."startedAt" >= ${utcDay(d, 0)}::timestamp`);
  const sections = ints(ctx, 'section_id');
  if (sections.length) parts.push(await sectionCondition(sections));
  const types = list(p.str('media_type'));
  if (types.length && !types.includes('all')) {
    if (types.length === 1 && MEDIA_TYPES.has(types[0]!)) f.mediaType = types[0] as HistoryFilter['mediaType'];
    else parts.push(Prisma.sql`p."mediaType" IN (${Prisma.join(types)})`);
  }
  const decisions = list(p.str('transcode_decision'));
  if (decisions.length && !decisions.includes('all')) {
    const mapped = decisions.map((d) => DECISIONS[d] ?? d);
    if (mapped.length === 1 && Object.values(DECISIONS).includes(mapped[0]!)) f.decision = mapped[0] as HistoryFilter['decision'];
    else parts.push(Prisma.sql`p."decision" IN (${Prisma.join(mapped)})`);
  }
  return Prisma.join([scopeWhere(ctx, f), ...parts], ' AND ');
}

/** `user_id` of the graph and home-stats commands (Tautulli: a comma-separated list of ids). */
export async function statsUserFilter(ctx: TautulliContext): Promise<Prisma.Sql> {
  const ids = ints(ctx, 'user_id');
  return ids.length ? userIdCondition(ids) : Prisma.sql`TRUE`;
}

// ---- Tautulli's formats -------------------------------------------------------------------------

/** helpers.human_duration(seconds, units='s') as Tautulli writes it, quirks included: seconds show below 300,000 s. */
export function humanDuration(seconds: number): string {
  if (!Number.isInteger(seconds) || seconds <= 0) return '0';
  const sig = seconds < 300_000 ? 'dhms' : 'dhm';
  const r = sig === 'dhms' ? 1 : 60;
  let s = roundHalfEven(seconds / r) * r;
  const d = Math.floor(s / 86_400);
  s -= d * 86_400;
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  const out: string[] = [];
  if (d > 0) out.push(`${d} day${d > 1 ? 's' : ''}`);
  if (h > 0) out.push(`${h} hr${h > 1 ? 's' : ''}`);
  if (m > 0) out.push(`${m} min${m > 1 ? 's' : ''}`);
  if (sig === 'dhms' && s > 0) out.push(`${s} sec${s > 1 ? 's' : ''}`);
  return out.join(' ');
}

/** Python 3's round(): halves go to the even neighbour. */
function roundHalfEven(x: number): number {
  const f = Math.floor(x);
  const diff = x - f;
  if (diff > 0.5) return f + 1;
  if (diff < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}

export const epoch = (s: number | null) => (s === null ? null : Math.floor(s));

/** Tautulli's transcode_decision words. */
export function decisionWord(d: string | null): string {
  return d === 'directplay' ? 'direct play' : d === 'directstream' ? 'copy' : d === 'transcode' ? 'transcode' : '';
}

/** Tautulli's full_title: "Show - Episode", "Track - Artist", else the title. */
export function fullTitle(p: Pick<TPlay, 'mediaType' | 'title' | 'grandparentTitle'>): string {
  if (!p.grandparentTitle) return p.title;
  return p.mediaType === 'track' ? `${p.title} - ${p.grandparentTitle}` : `${p.grandparentTitle} - ${p.title}`;
}

/** The artwork path a Tautulli client hands back to the image proxy: Plex's metadata path, Jellyfin/Emby's item image. */
export function thumbOf(p: Pick<TPlay, 'itemKey'>, isPlex: boolean): string {
  if (!p.itemKey) return '';
  return isPlex ? `/library/metadata/${p.itemKey}/thumb` : `/Items/${p.itemKey}/Images/Primary`;
}

// ---- aggregates shared by home stats and graphs --------------------------------------------------

/** Seconds watched of a finished play (graphs.py counts a play's duration once it stopped). */
export const WATCHED = Prisma.sql`CASE WHEN p."stoppedAt" IS NOT NULL THEN p."watchedS" ELSE 0 END`;

/**
 * Most streams at once (datafactory.py calc_most_concurrent): a sweep over start/stop times, a stop
 * counted before a start at the same second. `started`/`stopped` are strings, as Tautulli sends them.
 */
export function mostConcurrent(title: string, spans: { started: number; stopped: number }[]) {
  const times = spans.flatMap((s) => [{ t: Math.floor(s.started), d: 1 }, { t: Math.floor(s.stopped), d: -1 }]);
  times.sort((a, b) => a.t - b.t || a.d - b.d);
  let count = 0;
  let lastCount = 0;
  let lastStart = '';
  const out = { title, count: 0, started: null as string | null, stopped: null as string | null };
  for (const e of times) {
    if (e.d === 1) {
      count += 1;
      if (count >= lastCount) lastStart = String(e.t);
    } else {
      if (count >= lastCount) {
        lastCount = count;
        out.count = count;
        out.started = lastStart;
        out.stopped = String(e.t);
      }
      count -= 1;
    }
  }
  return out;
}


export interface PlaySpan {
  started: number;
  stopped: number;
  decision: string;
  /** The bucket `day` put it in ('' without one). */
  d: string;
}

/**
 * Start and stop (epoch seconds; an open play stops `now`) and decision of each play of `where`, for
 * the most-concurrent sweeps. Read as one text value: tens of thousands of rows cost far less so
 * than as rows.
 */
export async function playSpans(where: Prisma.Sql, now: number, day: Prisma.Sql = Prisma.sql`''`): Promise<PlaySpan[]> {
  const [r] = await db.$queryRaw<{ s: string | null }[]>`
    SELECT string_agg(concat_ws(',', floor(extract(epoch FROM p."startedAt"))::bigint, COALESCE(floor(extract(epoch FROM p."stoppedAt"))::bigint, -1),
      COALESCE(p."decision", ''), ${day}), ';') AS s
    FROM "Play" p WHERE ${where}`;
  if (!r?.s) return [];
  return r.s.split(';').map((row) => {
    const [a, b, decision, d] = row.split(',');
    const stopped = Number(b);
    return { started: Number(a), stopped: stopped < 0 ? Math.floor(now) : stopped, decision: decision ?? '', d: d ?? '' };
  });
}
