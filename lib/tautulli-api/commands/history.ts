// get_history (webserve.py get_history, datafactory.py get_datatables_history): Marquee's plays in
// Tautulli's DataTables shape. The plays are those of GET /api/history (lib/history historyWhere:
// the key owner's scope and filters), newest first by default, paged by start/length.
//
// Differences from Tautulli, by construction: a Marquee play is already one viewing (pauses,
// reconnects and restarts stitched), so `grouping` changes nothing and each row has group_count 1;
// a play records no show or season key, so parent/grandparent_rating_key are stable ids of the
// season/show on its server (see ../plays.ts) and no year, guid or air date (null / "").
import { Prisma } from '@/generated/prisma/client';
import { db } from '../../db';
import { can } from '../../auth/permissions';
import { playRules } from '../../history/record';
import {
  decisionWord, epoch, fullTitle, grandparentExt, historyFilters, humanDuration, idsFor, itemExt, list, parentExt, plexServers, scopeWhere,
  thumbOf, TPLAY_SELECT, userExt, type TPlay,
} from '../plays';
import { TautulliError, type TautulliCommand, type TautulliContext } from '../types';

/** DataTables' orderable columns (webserve.py get_history dt_columns) as SQL over `p`. */
const ORDER_COLUMNS: Record<string, string> = {
  date: 'p."startedAt"',
  started: 'p."startedAt"',
  friendly_name: 'p."mediaUser"',
  ip_address: 'p."ipAddress"',
  platform: 'p."platform"',
  product: 'p."product"',
  player: 'p."player"',
  full_title: `(CASE WHEN p."grandparentTitle" IS NULL THEN p."title" WHEN p."mediaType" = 'track' THEN p."title" || ' - ' || p."grandparentTitle" ELSE p."grandparentTitle" || ' - ' || p."title" END)`,
  paused_counter: 'p."pausedS"',
  stopped: 'p."stoppedAt"',
  duration: 'p."watchedS"',
  play_duration: 'p."watchedS"',
};

/** get_history's filters (any of them narrows recordsFiltered). */
const FILTER_PARAMS = ['user', 'user_id', 'rating_key', 'parent_rating_key', 'grandparent_rating_key', 'start_date', 'before', 'after', 'section_id', 'media_type', 'transcode_decision'];

/** DataTables' searchable columns: friendly_name, ip_address, platform, product, player, full_title. */
function searchSql(search: string | undefined): Prisma.Sql {
  if (!search) return Prisma.sql`TRUE`;
  const like = `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return Prisma.sql`(p."mediaUser" ILIKE ${like} OR p."ipAddress" ILIKE ${like} OR p."platform" ILIKE ${like} OR p."product" ILIKE ${like}
    OR p."player" ILIKE ${like} OR p."title" ILIKE ${like} OR p."grandparentTitle" ILIKE ${like})`;
}

function orderSql(ctx: TautulliContext): Prisma.Sql {
  const cols = list(ctx.params.str('order_column') ?? 'date');
  const dirs = list(ctx.params.str('order_dir') ?? 'desc');
  const parts: string[] = [];
  let last = 'DESC';
  cols.forEach((c, i) => {
    const col = ORDER_COLUMNS[c];
    if (!col) return;
    last = (dirs[i] ?? '').toLowerCase() === 'asc' ? 'ASC' : 'DESC';
    // startedAt is never null (and a NULLS clause would keep PostgreSQL off its (startedAt, id) index).
    parts.push(col === 'p."startedAt"' ? `${col} ${last}` : `${col} ${last} NULLS LAST`);
  });
  if (parts.length === 0) parts.push('p."startedAt" DESC');
  // Ties in the order GET /api/history pages by: start time, then id.
  parts.push(`p."startedAt" ${last}`, `p."id" ${last}`);
  return Prisma.raw(parts.join(', '));
}

/** Tautulli's watched_status: 1 once watched, else quarters of the watched threshold reached. */
export function watchedStatus(p: Pick<TPlay, 'completed' | 'mediaType'>, percent: number, completedPct: number): number {
  if (p.completed || p.mediaType === 'live') return 1;
  const base = completedPct / 4;
  if (percent >= base * 3) return 0.75;
  if (percent >= base * 2) return 0.5;
  if (percent >= base) return 0.25;
  return 0;
}

/** Tautulli history rows for these plays (ids resolved in a few batched statements). */
export async function historyRows(plays: TPlay[], now = Date.now() / 1000) {
  const plex = await plexServers(plays.map((p) => p.serverId));
  const users = await idsFor('user', plays.map((p) => ({ serverId: p.serverId, ext: userExt(p) })), plex);
  const items = await idsFor(
    'item',
    plays.flatMap((p) => [{ serverId: p.serverId, ext: itemExt(p) }, { serverId: p.serverId, ext: parentExt(p) }, { serverId: p.serverId, ext: grandparentExt(p) }]),
    plex,
  );
  const rowIds = await idsFor('play', plays.map((p) => ({ serverId: p.serverId, ext: p.id })), new Set());
  const { completedPct } = playRules();
  return plays.map((p) => {
    const open = p.stoppedAt === null;
    const pausing = open && p.pausedSince !== null ? Math.max(0, now - p.pausedSince) : 0;
    const playDuration = open ? Math.max(0, Math.round(now - p.startedAt - pausing) - p.pausedS) : p.watchedS;
    const live = p.mediaType === 'live' ? 1 : 0;
    const percent = live ? 100 : Math.round(p.progressPct ?? 0);
    const episodic = p.mediaType === 'episode' || p.mediaType === 'track';
    const rowId = open ? null : rowIds(p.serverId, p.id);
    return {
      reference_id: rowId,
      row_id: rowId,
      id: rowId,
      date: epoch(p.startedAt),
      started: epoch(p.startedAt),
      stopped: epoch(p.stoppedAt ?? now),
      duration: playDuration,
      play_duration: playDuration,
      paused_counter: p.pausedS,
      user_id: users(p.serverId, userExt(p)),
      user: p.mediaUser ?? '',
      friendly_name: p.mediaUser ?? '',
      user_thumb: '',
      platform: p.platform ?? '',
      product: p.product ?? '',
      player: p.player ?? '',
      ip_address: p.ipAddress ?? '',
      live,
      machine_id: '',
      location: p.isLocal === null ? '' : p.isLocal ? 'lan' : 'wan',
      secure: null,
      relayed: null,
      media_type: p.mediaType,
      rating_key: items(p.serverId, itemExt(p)),
      parent_rating_key: episodic ? (items(p.serverId, parentExt(p)) ?? '') : '',
      grandparent_rating_key: episodic ? (items(p.serverId, grandparentExt(p)) ?? '') : '',
      full_title: fullTitle(p),
      title: p.title,
      parent_title: p.mediaType === 'episode' && p.parentIndex !== null ? `Season ${p.parentIndex}` : '',
      grandparent_title: p.grandparentTitle ?? '',
      original_title: '',
      year: null,
      media_index: p.index ?? '',
      parent_media_index: p.parentIndex ?? '',
      thumb: thumbOf(p, plex.has(p.serverId)),
      originally_available_at: '',
      guid: '',
      transcode_decision: decisionWord(p.decision),
      percent_complete: percent,
      watched_status: watchedStatus(p, percent, completedPct),
      group_count: open ? null : 1,
      group_ids: open || rowId === null ? null : String(rowId),
      state: open ? (p.pausedSince !== null ? 'paused' : 'playing') : null,
      session_key: open ? p.sessionKey : null,
    };
  });
}

const getHistory: TautulliCommand = {
  name: 'get_history',
  async run(ctx) {
    if (!can(ctx.actor, 'history:view')) throw new TautulliError('You may not view history.', 403);
    const start = Math.max(0, ctx.params.int('start') ?? 0);
    const length = ctx.params.int('length') ?? 25;
    if (length < 0 || length > 10_000) throw new TautulliError('Invalid length: use 0 to 10000.');
    const includeActivity = ctx.params.bool('include_activity') ?? true;
    const filtered = Prisma.join([await historyFilters(ctx), includeActivity ? Prisma.sql`TRUE` : Prisma.sql`p."stoppedAt" IS NOT NULL`], ' AND ');
    const searched = Prisma.sql`${filtered} AND ${searchSql(ctx.params.str('search'))}`;
    // recordsTotal counts every play the owner may see; recordsFiltered and total_duration the
    // filtered ones, read apart when filters narrow them (their startedAt bounds can use the index).
    const finished = Prisma.sql`COALESCE(sum(p."watchedS") FILTER (WHERE p."stoppedAt" IS NOT NULL), 0)::bigint::float8`;
    const narrowed = FILTER_PARAMS.some((f) => ctx.params.str(f) !== undefined) || !includeActivity;
    const search = ctx.params.str('search');
    const [all] = await db.$queryRaw<{ total: number; duration: number }[]>`SELECT count(*)::int AS total, ${finished} AS duration FROM "Play" p WHERE ${scopeWhere(ctx)}`;
    let totals = { total: all!.total, filtered: all!.total, duration: all!.duration };
    if (narrowed || search) {
      const [f] = await db.$queryRaw<{ filtered: number; duration: number }[]>`
        SELECT (count(*) FILTER (WHERE ${searchSql(search)}))::int AS filtered, ${finished} AS duration FROM "Play" p WHERE ${filtered}`;
      totals = { total: all!.total, filtered: f!.filtered, duration: f!.duration };
    }
    const plays = length === 0 ? [] : await db.$queryRaw<TPlay[]>`
      SELECT ${TPLAY_SELECT} FROM "Play" p WHERE ${searched} ORDER BY ${orderSql(ctx)} LIMIT ${length} OFFSET ${start}`;
    const rows = await historyRows(plays);
    return {
      draw: ctx.params.int('draw') ?? 1,
      recordsTotal: totals.total,
      recordsFiltered: totals.filtered,
      total_duration: humanDuration(totals.duration),
      filter_duration: humanDuration(rows.reduce((s, r) => s + r.play_duration, 0)),
      data: rows,
    };
  },
};

export const historyCommands: TautulliCommand[] = [getHistory];
