// get_home_stats (webserve.py get_home_stats, datafactory.py get_home_stats): Tautulli's home page
// cards over Marquee's plays (the key owner's scope, lib/history historyWhere) of the last
// `time_range` days. Each card's rows carry the fields datafactory.py gives them; what a play does
// not record (content rating, rating, labels, art, year) is "" / null / [] as Tautulli sends for
// items missing them.
import { Prisma } from '@/generated/prisma/client';
import { db } from '../../db';
import { can } from '../../auth/permissions';
import { historyRows } from './history';
import { graphCommands } from './graphs';
import { days, ints, list, localStart, mostConcurrent, plexServers, scopeWhere, sectionCondition, sectionIdsFor, statsUserFilter, timezoneOf, TPLAY_SELECT, USER_KEY, WATCHED, type TPlay } from '../plays';
import { TautulliError, type TautulliCommand, type TautulliContext } from '../types';

export const STAT_IDS = ['top_movies', 'popular_movies', 'top_tv', 'popular_tv', 'top_music', 'popular_music', 'top_libraries', 'top_users', 'top_platforms', 'last_watched', 'most_concurrent'] as const;
type StatId = (typeof STAT_IDS)[number];

const TITLES: Record<StatId, string> = {
  top_movies: 'Most Watched Movies', popular_movies: 'Most Popular Movies', top_tv: 'Most Watched TV Shows', popular_tv: 'Most Popular TV Shows',
  top_music: 'Most Played Artists', popular_music: 'Most Popular Artists', top_libraries: 'Most Active Libraries', top_users: 'Most Active Users',
  top_platforms: 'Most Active Platforms', last_watched: 'Recently Watched', most_concurrent: 'Most Concurrent Streams',
};

/**
 * The plays of a home-stats call: scope, `time_range` days back from now (or from `before`, or
 * forward from `after`, local dates in the owner's timezone, both inclusive as in datafactory.py),
 * `section_id`, `user_id`.
 */
async function statsWhere(ctx: TautulliContext, timeRange: number): Promise<Prisma.Sql> {
  const tz = timezoneOf(ctx.actor);
  const local = Prisma.sql`to_char(${localStart(tz)}, 'YYYY-MM-DD')`;
  const before = days(ctx, 'before')[0];
  const after = days(ctx, 'after')[0];
  const parts: Prisma.Sql[] = [];
  const dayMs = 86_400_000;
  let from: string | undefined;
  if (before) {
    parts.push(Prisma.sql`${local} <= ${before}`);
    if (!after) from = new Date(Date.parse(before) - timeRange * dayMs).toISOString();
  }
  if (after) {
    parts.push(Prisma.sql`${local} >= ${after}`);
    if (!before) parts.push(Prisma.sql`p."startedAt" <= ${new Date(Date.parse(after) + timeRange * dayMs).toISOString()}::timestamp`);
  }
  if (!before && !after) from = new Date(Date.now() - timeRange * dayMs).toISOString();
  const sections = ints(ctx, 'section_id');
  if (sections.length) parts.push(await sectionCondition(sections));
  parts.push(await statsUserFilter(ctx));
  return Prisma.join([scopeWhere(ctx, from ? { from } : {}), ...parts], ' AND ');
}

interface Group {
  k: string | null;
  plays: number;
  duration: number;
  users: number;
  last: number;
  rep: string;
}

/** One card's groups: plays, watched seconds, distinct users, last start and the latest (finished, if any) play of each. */
async function groups(where: Prisma.Sql, key: Prisma.Sql, opts: { sort: 'plays' | 'duration'; popular?: boolean; count: number; start: number }): Promise<Group[]> {
  const sort = opts.sort === 'duration' ? 'duration' : 'plays';
  const order = Prisma.raw(`${opts.popular ? 'users DESC, ' : ''}${sort} DESC, last DESC, k ASC`);
  return db.$queryRaw<Group[]>`
    SELECT ${key} AS k, count(*)::int AS plays, COALESCE(sum(${WATCHED}), 0)::int AS duration, count(DISTINCT ${USER_KEY})::int AS users,
           floor(extract(epoch FROM max(p."startedAt")))::int AS last, (array_agg(p."id" ORDER BY p."stoppedAt" IS NULL, p."startedAt" DESC, p."id" DESC))[1] AS rep
    FROM "Play" p WHERE ${where}
    GROUP BY 1 ORDER BY ${order} LIMIT ${opts.count} OFFSET ${opts.start}`;
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

async function itemCard(stat: StatId, where: Prisma.Sql, o: CardOptions) {
  const type = stat.endsWith('movies') ? 'movie' : stat.endsWith('tv') ? 'episode' : 'track';
  const popular = stat.startsWith('popular');
  const key = type === 'movie' ? Prisma.sql`p."title"` : Prisma.sql`COALESCE(p."grandparentTitle", p."title")`;
  const gs = await groups(Prisma.sql`${where} AND p."mediaType" = ${type}`, key, { ...o, popular });
  const rep = await representatives(gs);
  const rows = gs.map((g) => {
    const { play, row, section } = rep(g.rep);
    const show = type !== 'movie';
    const showThumb = show ? row.thumb : '';
    return {
      title: g.k ?? '', year: null, total_plays: g.plays, total_duration: g.duration, users_watched: popular ? g.users : '',
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

async function usersCard(where: Prisma.Sql, o: CardOptions) {
  const gs = await groups(where, USER_KEY, o);
  const rep = await representatives(gs);
  const rows = gs.map((g) => {
    const { row } = rep(g.rep);
    return {
      user: row.user, user_id: row.user_id, friendly_name: row.friendly_name, total_plays: g.plays, total_duration: g.duration, last_play: g.last,
      user_thumb: '', ...playFields(row), platform: '',
    };
  });
  return { stat_id: 'top_users', stat_type: sortType(o), stat_title: TITLES.top_users, rows };
}

async function librariesCard(where: Prisma.Sql, o: CardOptions) {
  const gs = await groups(Prisma.sql`${where} AND p."library" IS NOT NULL`, Prisma.sql`p."serverId" || ':' || p."library"`, o);
  const rep = await representatives(gs);
  const types = new Map(
    (await db.mediaLibrary.findMany({ where: { OR: gs.map((g) => ({ serverId: rep(g.rep).play.serverId, name: rep(g.rep).play.library! })) }, select: { serverId: true, name: true, type: true } }))
      .map((l) => [`${l.serverId}:${l.name}`, l.type ?? '']),
  );
  const rows = gs.map((g) => {
    const { play, row, section } = rep(g.rep);
    return {
      total_plays: g.plays, total_duration: g.duration, section_type: types.get(g.k ?? '') ?? '', section_name: play.library ?? '', section_id: section,
      last_play: g.last, library_thumb: '', library_art: '', ...playFields(row), user: '', friendly_name: '', platform: '',
    };
  });
  return { stat_id: 'top_libraries', stat_type: sortType(o), stat_title: TITLES.top_libraries, rows };
}

async function platformsCard(where: Prisma.Sql, o: CardOptions) {
  const gs = await groups(where, Prisma.sql`COALESCE(p."platform", '')`, o);
  const rows = gs.map((g) => ({
    total_plays: g.plays, total_duration: g.duration, last_play: g.last, platform: g.k ?? '', platform_name: platformName(g.k ?? ''),
    title: '', thumb: '', grandparent_thumb: '', art: '', users_watched: '', rating_key: '', grandparent_rating_key: '', user: '', friendly_name: '', row_id: '',
  }));
  return { stat_id: 'top_platforms', stat_type: sortType(o), stat_title: TITLES.top_platforms, rows };
}

async function lastWatchedCard(where: Prisma.Sql, o: CardOptions) {
  const plays = await db.$queryRaw<TPlay[]>`
    SELECT ${TPLAY_SELECT} FROM "Play" p WHERE ${where} AND p."mediaType" IN ('movie', 'episode') AND p."completed"
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

async function concurrentCard(where: Prisma.Sql) {
  const now = Date.now() / 1000;
  const plays = await db.$queryRaw<{ started: number; stopped: number | null; decision: string | null }[]>`
    SELECT extract(epoch FROM p."startedAt")::float8 AS started, extract(epoch FROM p."stoppedAt")::float8 AS stopped, p."decision"
    FROM "Play" p WHERE ${where}`;
  const spans = plays.map((p) => ({ started: p.started, stopped: p.stopped ?? now, decision: p.decision }));
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
    const cards = statId ? list(statId) : DEFAULT_CARDS;
    const where = await statsWhere(ctx, timeRange);
    const out: unknown[] = [];
    for (const stat of cards) {
      if (!(STAT_IDS as readonly string[]).includes(stat)) continue;
      const s = stat as StatId;
      if (s === 'top_users') out.push(await usersCard(where, o));
      else if (s === 'top_platforms') out.push(await platformsCard(where, o));
      else if (s === 'top_libraries') out.push(await librariesCard(where, o));
      else if (s === 'last_watched') out.push(await lastWatchedCard(where, o));
      else if (s === 'most_concurrent') out.push(await concurrentCard(where));
      else out.push(await itemCard(s, where, o));
    }
    // Tautulli answers a stat_id with that card alone (datafactory.py: `return home_stats[0]`).
    return statId ? (out[0] ?? []) : out;
  },
};

export const statsCommands: TautulliCommand[] = [getHomeStats, ...graphCommands];
