// get_home_stats (webserve.py get_home_stats, datafactory.py get_home_stats): Tautulli's home page
// cards over Marquee's plays (the key owner's scope, lib/history historyWhere) of the last
// `time_range` days. The top cards count what GET /api/analytics's top lists count, the same way
// (open plays included, their watch time so far). Each card's rows carry the fields datafactory.py
// gives them; what a play does not record (content rating, rating, labels, art, year) is "" / null
// / [] as Tautulli sends for items missing them.
import { Prisma } from '@/generated/prisma/client';
import { db } from '../../db';
import { can } from '../../auth/permissions';
import { historyRows } from './history';
import { graphCommands } from './graphs';
import {
  days, ints, list, localStart, mostConcurrent, playSpans, plexServers, scopeWhere, sectionCondition, sectionIdsFor, timezoneOf, TPLAY_SELECT, userIdCondition,
  utcDay, type TPlay,
} from '../plays';
import { TautulliError, type TautulliCommand, type TautulliContext } from '../types';

export const STAT_IDS = ['top_movies', 'popular_movies', 'top_tv', 'popular_tv', 'top_music', 'popular_music', 'top_libraries', 'top_users', 'top_platforms', 'last_watched', 'most_concurrent'] as const;
type StatId = (typeof STAT_IDS)[number];

const TITLES: Record<StatId, string> = {
  top_movies: 'Most Watched Movies', popular_movies: 'Most Popular Movies', top_tv: 'Most Watched TV Shows', popular_tv: 'Most Popular TV Shows',
  top_music: 'Most Played Artists', popular_music: 'Most Popular Artists', top_libraries: 'Most Active Libraries', top_users: 'Most Active Users',
  top_platforms: 'Most Active Platforms', last_watched: 'Recently Watched', most_concurrent: 'Most Concurrent Streams',
};

/** Watched seconds as history and analytics count them: a finished play's, an open one's so far. */
function watchSql(now: Date): Prisma.Sql {
  const n = Prisma.sql`${now.toISOString()}::timestamp`;
  return Prisma.sql`(CASE WHEN p."stoppedAt" IS NULL THEN GREATEST(0, floor(extract(epoch FROM (${n} - p."startedAt"))
    - CASE WHEN p."pausedSince" IS NULL THEN 0 ELSE GREATEST(0, extract(epoch FROM (${n} - p."pausedSince"))) END + 0.5)::bigint - p."pausedS")
    ELSE p."watchedS" END)`;
}

/**
 * The plays of one get_home_stats call: the key owner's scope, started in the last `time_range`
 * days (or the `time_range` days up to `before`, or from `after`: local dates in the owner's
 * timezone, inclusive as in datafactory.py), `section_id`, `user_id`: the plays GET /api/analytics
 * counts for the same range and server.
 */
async function statsScope(ctx: TautulliContext, timeRange: number, now: Date, cards: StatId[]) {
  const tz = timezoneOf(ctx.actor);
  const local = Prisma.sql`to_char(${localStart(tz)}, 'YYYY-MM-DD')`;
  const before = days(ctx, 'before')[0];
  const after = days(ctx, 'after')[0];
  const parts: Prisma.Sql[] = [];
  const dayMs = 86_400_000;
  let from: string | undefined;
  let to: string | undefined;
  if (before) {
    parts.push(Prisma.sql`${local} <= ${before} AND p."startedAt" < ${utcDay(before, 2)}::timestamp`);
    if (!after) from = new Date(Date.parse(before) - timeRange * dayMs).toISOString();
  }
  if (after) {
    parts.push(Prisma.sql`${local} >= ${after} AND p."startedAt" >= ${utcDay(after, -1)}::timestamp`);
    if (!before) to = new Date(Date.parse(after) + timeRange * dayMs).toISOString();
  }
  if (!before && !after) {
    from = new Date(now.getTime() - timeRange * dayMs).toISOString();
    to = now.toISOString();
  }
  const sections = ints(ctx, 'section_id');
  if (sections.length) parts.push(await sectionCondition(sections));
  const userIds = ints(ctx, 'user_id');
  if (userIds.length) parts.push(await userIdCondition(userIds));
  const scope: Scope = { where: Prisma.join([scopeWhere(ctx, { from, to }), ...parts], ' AND '), now, cards };
  return scope;
}

interface Scope {
  where: Prisma.Sql;
  now: Date;
  /** The cards asked for. */
  cards: StatId[];
  /** Every card's groups, read once per call by the first card that needs them. */
  ranked?: Promise<Ranked>;
}

/** The name each top card counts a play under: lib/analytics dims.ts names them the same way (users, movies, shows, platforms, libraries). */
const DIMS = {
  movies: Prisma.sql`CASE WHEN p."mediaType" = 'movie' THEN p."title" END`,
  tv: Prisma.sql`CASE WHEN p."mediaType" = 'episode' THEN p."grandparentTitle" END`,
  music: Prisma.sql`CASE WHEN p."mediaType" = 'track' THEN COALESCE(p."grandparentTitle", p."title") END`,
  users: Prisma.sql`p."mediaUser"`,
  platforms: Prisma.sql`p."platform"`,
  libraries: Prisma.sql`p."library"`,
} as const;
type Dim = keyof typeof DIMS;
const POPULAR_DIMS: Dim[] = ['movies', 'tv', 'music'];
/** The dimension each card ranks. */
const CARD_DIMS: Partial<Record<StatId, Dim>> = {
  top_movies: 'movies', popular_movies: 'movies', top_tv: 'tv', popular_tv: 'tv', top_music: 'music', popular_music: 'music',
  top_users: 'users', top_platforms: 'platforms', top_libraries: 'libraries',
};

interface Group {
  k: string;
  plays: number;
  duration: number;
  users: number;
  last: number;
  rep: string;
}
type Ranked = Map<Dim, { top: Group[]; popular: Group[] }>;

/**
 * Every card's groups in one pass over the plays of the range: for each dimension, its groups
 * ranked as GET /api/analytics ranks its top lists (plays, then watch time, then name; plays without
 * a name are not counted) or by watch time (`stats_type=duration`), and for the popular cards by
 * distinct users first; with each group's last start and its latest (finished, if any) play. The
 * counts are lib/analytics's (tests/integration/tautulli-api-stats.test.ts compares them).
 */
async function rankAll(scope: Scope, o: CardOptions, dims: Dim[]): Promise<Ranked> {
  const sort = o.sort === 'duration' ? 'duration DESC, plays DESC' : 'plays DESC, duration DESC';
  const lo = o.start;
  const hi = o.start + o.count;
  const col = (d: Dim) => Prisma.raw(`"${d}"`);
  // Distinct users only where a popular card ranks by them.
  const users = (d: Dim) => (POPULAR_DIMS.includes(d) ? Prisma.sql`count(DISTINCT x.u)` : Prisma.sql`0`);
  const per = Prisma.join(
    dims.map((d) => Prisma.sql`SELECT ${d} AS dim, x.${col(d)} AS k, count(*) AS plays, sum(x.w) AS duration, ${users(d)} AS users,
      max(x.t) AS last, max(x.r) AS rep FROM x WHERE x.${col(d)} <> '' GROUP BY 2`),
    ' UNION ALL ',
  );
  // rep: the latest finished play (else the latest), as the largest "<finished><start><id>".
  const rows = await db.$queryRaw<(Group & { dim: Dim; rt: number; rp: number })[]>`
    WITH x AS MATERIALIZED (
      SELECT ${Prisma.join(dims.map((d) => Prisma.sql`${DIMS[d]} AS ${col(d)}`))},
        ${watchSql(scope.now)} AS w, p."mediaUser" AS u, p."startedAt" AS t,
        (CASE WHEN p."stoppedAt" IS NULL THEN '0' ELSE '1' END) || to_char(p."startedAt", 'YYYYMMDDHH24MISSUS') || p."id" AS r
      FROM "Play" p WHERE ${scope.where}
    ), g AS (${per}), n AS (
      SELECT g.*, row_number() OVER (PARTITION BY g.dim ORDER BY ${Prisma.raw(sort)}, g.k COLLATE "C") AS rt,
                  row_number() OVER (PARTITION BY g.dim ORDER BY g.users DESC, ${Prisma.raw(sort)}, g.k COLLATE "C") AS rp
      FROM g
    )
    SELECT n.dim, n.k, n.plays::int AS plays, COALESCE(n.duration, 0)::int AS duration, n.users::int AS users,
           floor(extract(epoch FROM n.last))::int AS last, substr(n.rep, 22) AS rep, n.rt::int AS rt, n.rp::int AS rp
    FROM n WHERE (n.rt > ${lo} AND n.rt <= ${hi}) OR (n.rp > ${lo} AND n.rp <= ${hi})`;
  const out: Ranked = new Map(dims.map((d) => [d, { top: [], popular: [] }]));
  const strip = ({ k, plays, duration, users, last, rep }: Group): Group => ({ k, plays, duration, users, last, rep });
  for (const r of [...rows].sort((a, b) => a.rt - b.rt)) if (r.rt > lo && r.rt <= hi) out.get(r.dim)!.top.push(strip(r));
  for (const r of [...rows].sort((a, b) => a.rp - b.rp)) if (r.rp > lo && r.rp <= hi) out.get(r.dim)!.popular.push(strip(r));
  return out;
}

async function groups(scope: Scope, dim: Dim, o: CardOptions & { popular?: boolean }): Promise<Group[]> {
  scope.ranked ??= rankAll(scope, o, [...new Set(scope.cards.flatMap((c) => CARD_DIMS[c] ?? []))]);
  const r = (await scope.ranked).get(dim)!;
  return o.popular ? r.popular : r.top;
}

async function playsById(ids: string[]): Promise<TPlay[]> {
  if (ids.length === 0) return [];
  return db.$queryRaw<TPlay[]>`SELECT ${TPLAY_SELECT} FROM "Play" p WHERE p."id" IN (${Prisma.join(ids)})`;
}

type HistoryRow = Awaited<ReturnType<typeof historyRows>>[number];

/** The latest play of each group as a history row, and its section id. */
async function representatives(gs: { rep: string }[]) {
  const plays = await playsById(gs.map((g) => g.rep));
  const rows = await historyRows(plays);
  const plex = await plexServers(plays.map((p) => p.serverId));
  const sections = await sectionIdsFor(plays, plex);
  const byId = new Map<string, { play: TPlay; row: HistoryRow; section: number | null }>();
  plays.forEach((p, i) => byId.set(p.id, { play: p, row: rows[i]!, section: sections(p.serverId, p.library) }));
  return (id: string) => byId.get(id)!;
}

const media = { content_rating: '', rating: null, labels: [] as string[], art: '', guid: '' };

async function itemCard(stat: StatId, scope: Scope, o: CardOptions) {
  const type = stat.endsWith('movies') ? 'movie' : stat.endsWith('tv') ? 'episode' : 'track';
  const popular = stat.startsWith('popular');
  const gs = await groups(scope, type === 'movie' ? 'movies' : type === 'episode' ? 'tv' : 'music', { ...o, popular });
  const rep = await representatives(gs);
  const rows = gs.map((g) => {
    const { play, row, section } = rep(g.rep);
    const show = type !== 'movie';
    const showThumb = show ? row.thumb : '';
    return {
      title: g.k, year: null, total_plays: g.plays, total_duration: g.duration, users_watched: popular ? g.users : '',
      rating_key: show ? (row.grandparent_rating_key === '' ? row.rating_key : row.grandparent_rating_key) : row.rating_key,
      grandparent_rating_key: show ? row.grandparent_rating_key : '', last_play: g.last, grandparent_thumb: showThumb, thumb: row.thumb,
      section_id: section, media_type: play.mediaType, ...media, user: '', friendly_name: '', platform: '', live: row.live, row_id: row.row_id,
    };
  });
  return { stat_id: stat, ...(popular ? {} : { stat_type: sortType(o) }), stat_title: TITLES[stat], rows };
}

/** Rows every "who/what" card (users, platforms, libraries) shares with the latest play it counts. */
function playFields(row: HistoryRow) {
  return {
    thumb: row.thumb, grandparent_thumb: '', art: '', users_watched: '', title: row.full_title, grandparent_title: row.grandparent_title,
    grandchild_title: row.title, year: null, media_index: row.media_index, parent_media_index: row.parent_media_index, rating_key: row.rating_key,
    grandparent_rating_key: row.grandparent_rating_key, media_type: row.media_type, content_rating: '', labels: [] as string[], live: row.live,
    guid: '', row_id: row.row_id,
  };
}

async function usersCard(scope: Scope, o: CardOptions) {
  const gs = await groups(scope, 'users', o);
  const rep = await representatives(gs);
  const rows = gs.map((g) => {
    const { row } = rep(g.rep);
    return {
      user: g.k, user_id: row.user_id, friendly_name: g.k, total_plays: g.plays, total_duration: g.duration, last_play: g.last,
      user_thumb: '', ...playFields(row), platform: '',
    };
  });
  return { stat_id: 'top_users', stat_type: sortType(o), stat_title: TITLES.top_users, rows };
}

async function librariesCard(scope: Scope, o: CardOptions) {
  const gs = await groups(scope, 'libraries', o);
  const rep = await representatives(gs);
  const libs = gs.length
    ? await db.mediaLibrary.findMany({ where: { OR: gs.map((g) => ({ serverId: rep(g.rep).play.serverId, name: g.k })) }, select: { serverId: true, name: true, type: true } })
    : [];
  const types = new Map(libs.map((l) => [`${l.serverId}:${l.name}`, l.type ?? '']));
  const rows = gs.map((g) => {
    const { play, row, section } = rep(g.rep);
    return {
      total_plays: g.plays, total_duration: g.duration, section_type: types.get(`${play.serverId}:${g.k}`) ?? '', section_name: g.k, section_id: section,
      last_play: g.last, library_thumb: '', library_art: '', ...playFields(row), user: '', friendly_name: '', platform: '',
    };
  });
  return { stat_id: 'top_libraries', stat_type: sortType(o), stat_title: TITLES.top_libraries, rows };
}

async function platformsCard(scope: Scope, o: CardOptions) {
  const gs = await groups(scope, 'platforms', o);
  const rows = gs.map((g) => ({
    total_plays: g.plays, total_duration: g.duration, last_play: g.last, platform: g.k, platform_name: platformName(g.k),
    title: '', thumb: '', grandparent_thumb: '', art: '', users_watched: '', rating_key: '', grandparent_rating_key: '', user: '', friendly_name: '', row_id: '',
  }));
  return { stat_id: 'top_platforms', stat_type: sortType(o), stat_title: TITLES.top_platforms, rows };
}

async function lastWatchedCard(scope: Scope, o: CardOptions) {
  const plays = await db.$queryRaw<TPlay[]>`
    SELECT ${TPLAY_SELECT} FROM "Play" p WHERE ${scope.where} AND p."mediaType" IN ('movie', 'episode') AND p."completed"
    ORDER BY p."startedAt" DESC, p."id" DESC LIMIT ${o.count} OFFSET ${o.start}`;
  const rows = await historyRows(plays);
  const plex = await plexServers(plays.map((p) => p.serverId));
  const sections = await sectionIdsFor(plays, plex);
  return {
    stat_id: 'last_watched',
    stat_title: TITLES.last_watched,
    rows: rows.map((row, i) => ({
      row_id: row.row_id, user: row.user, friendly_name: row.friendly_name, user_id: row.user_id, user_thumb: '', title: row.full_title,
      grandparent_title: row.grandparent_title, grandchild_title: row.title, year: null, media_index: row.media_index, parent_media_index: row.parent_media_index,
      rating_key: row.rating_key, grandparent_rating_key: row.grandparent_rating_key, thumb: row.thumb, grandparent_thumb: '', art: '',
      section_id: sections(plays[i]!.serverId, plays[i]!.library), media_type: row.media_type, content_rating: '', rating: null, labels: [] as string[],
      last_watch: row.started, live: row.live, guid: '', player: row.player,
    })),
  };
}

async function concurrentCard(scope: Scope) {
  const spans = await playSpans(scope.where, scope.now.getTime() / 1000);
  const rows = [];
  for (const [title, decision] of [['Concurrent Streams', null], ['Concurrent Transcodes', 'transcode'], ['Concurrent Direct Streams', 'directstream'], ['Concurrent Direct Plays', 'directplay']] as const) {
    const some = decision ? spans.filter((s) => s.decision === decision) : spans;
    if (some.length) rows.push(mostConcurrent(title, some));
  }
  return { stat_id: 'most_concurrent', stat_title: TITLES.most_concurrent, rows };
}

/** common.PLATFORM_NAMES: the icon name Tautulli gives a platform (first key it contains, keys in reverse order). */
const PLATFORM_NAMES: [string, string][] = Object.entries({
  android: 'android', 'apple tv': 'atv', chrome: 'chrome', chromecast: 'chromecast', dlna: 'dlna', firefox: 'firefox', 'internet explorer': 'ie',
  ios: 'ios', ipad: 'ios', iphone: 'ios', kodi: 'kodi', linux: 'linux', nexus: 'android', macos: 'macos', 'microsoft edge': 'msedge', netcast: 'lg',
  opera: 'opera', osx: 'macos', playstation: 'playstation', 'plex home theater': 'plex', 'plex media player': 'plex', plexamp: 'plexamp',
  plextogether: 'synclounge', roku: 'roku', safari: 'safari', samsung: 'samsung', synclounge: 'synclounge', tivo: 'tivo', tizen: 'samsung',
  tvos: 'atv', vizio: 'opera', webos: 'lg', wiiu: 'wiiu', windows: 'windows', 'windows phone': 'wp', xbmc: 'xbmc', xbox: 'xbox',
}).sort(([a], [b]) => (a < b ? 1 : a > b ? -1 : 0));
export function platformName(platform: string): string {
  const p = platform.toLowerCase();
  return PLATFORM_NAMES.find(([k]) => p.includes(k))?.[1] ?? 'default';
}

interface CardOptions {
  sort: 'plays' | 'duration';
  count: number;
  start: number;
}
const sortType = (o: CardOptions) => (o.sort === 'duration' ? 'total_duration' : 'total_plays');

const DEFAULT_CARDS: StatId[] = ['top_movies', 'popular_movies', 'top_tv', 'popular_tv', 'top_music', 'popular_music', 'last_watched', 'top_libraries', 'top_users', 'top_platforms', 'most_concurrent'];

const getHomeStats: TautulliCommand = {
  name: 'get_home_stats',
  async run(ctx) {
    if (!can(ctx.actor, 'history:view')) throw new TautulliError('You may not view history.', 403);
    const timeRange = ctx.params.int('time_range') ?? 30;
    const rawType = ctx.params.str('stats_type') ?? 'plays';
    const sort = rawType === '1' || rawType === 'duration' ? 'duration' : 'plays';
    const o: CardOptions = { sort, count: Math.max(0, ctx.params.int('stats_count') ?? 10), start: Math.max(0, ctx.params.int('stats_start') ?? 0) };
    const statId = ctx.params.str('stat_id');
    const cards = (statId ? list(statId) : DEFAULT_CARDS).filter((c): c is StatId => (STAT_IDS as readonly string[]).includes(c));
    const scope = await statsScope(ctx, timeRange, new Date(), cards);
    const out: unknown[] = [];
    for (const s of cards) {
      if (s === 'top_users') out.push(await usersCard(scope, o));
      else if (s === 'top_platforms') out.push(await platformsCard(scope, o));
      else if (s === 'top_libraries') out.push(await librariesCard(scope, o));
      else if (s === 'last_watched') out.push(await lastWatchedCard(scope, o));
      else if (s === 'most_concurrent') out.push(await concurrentCard(scope));
      else out.push(await itemCard(s, scope, o));
    }
    // Tautulli answers a stat_id with that card alone (datafactory.py: `return home_stats[0]`).
    return statId ? (out[0] ?? []) : out;
  },
};

export const statsCommands: TautulliCommand[] = [getHomeStats, ...graphCommands];
