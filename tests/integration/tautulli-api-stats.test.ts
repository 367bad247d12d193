// Tautulli's history, home stats and graph commands through the real /api/v2 route: the documented
// examples' keys and JSON types (contract), get_history agreeing with GET /api/history (paging and
// filters: the same plays in the same order), the numbers of the home-stats cards and graphs, and a
// viewer's key seeing only their own plays.
import { beforeAll, describe, expect, test } from 'vitest';
import { db } from '@/lib/db';
import { contractDiff, tautulliExample } from '@/tests/helpers/tautulli-contract';
import { apiToken, createUser } from '@/tests/helpers/auth';
import { rebuildRollups } from '@/lib/analytics';
import { analyticsTop, at, BOB_ID, dateOf, historyPages, JF, PLAYS, PLEX, seed, v2, type ApiPlay } from './tautulli-api-stats-helpers';

type Row = Record<string, unknown> & { started: number; title: string; user: string };
type History = { draw: number; recordsTotal: number; recordsFiltered: number; total_duration: string; filter_duration: string; data: Row[] };
type Card = { stat_id: string; stat_type?: string; rows: Record<string, unknown>[] };
type Graph = { categories: string[]; series: { name: string; data: number[] }[] };

let admin: string;
let viewer: string;

beforeAll(async () => {
  await seed();
  admin = await apiToken(await createUser({ role: 'admin' }));
  viewer = await apiToken(await createUser({ role: 'viewer', mediaUsers: [`${PLEX}:101`] }));
});

const example = (name: string) => (tautulliExample(name) as { response: { data: never } }).response.data;
const history = async (params: Record<string, string | number> = {}, key = admin) => (await v2(key, 'get_history', params)).data as History;
const key = (r: { started: number; title: string }) => `${r.started}|${r.title}`;
const apiKey = (p: ApiPlay) => `${Math.floor(Date.parse(p.startedAt) / 1000)}|${p.title}`;

describe('contract: each response has every documented key with the same JSON type', () => {
  test('get_history (an episode row, finished)', async () => {
    const res = await v2(admin, 'get_history', { media_type: 'episode', include_activity: 0 });
    expect(res.status).toBe(200);
    expect(res.body.response.result).toBe('success');
    expect((res.data as History).data.length).toBeGreaterThan(0);
    // Marquee records no year and no secure/relayed connection flags: null, as Tautulli sends for rows missing them.
    expect(contractDiff(res.body, tautulliExample('get_history'), { nullable: ['response.data.data[].year', 'response.data.data[].secure', 'response.data.data[].relayed'] })).toEqual([]);
  });

  test('get_home_stats: each card against the documented card with its stat_id', async () => {
    const res = await v2(admin, 'get_home_stats');
    expect(res.status).toBe(200);
    const cards = res.data as Card[];
    const examples = example('get_home_stats') as unknown as Card[];
    for (const ex of examples) {
      const card = cards.find((c) => c.stat_id === ex.stat_id);
      expect(card, ex.stat_id).toBeDefined();
      // No rating or section is recorded for every play: null where unknown.
      expect(contractDiff(card, ex as never, { nullable: ['rows[].rating', 'rows[].section_id'] }), ex.stat_id).toEqual([]);
    }
    expect(cards.find((c) => c.stat_id === 'top_tv')!.rows.length).toBeGreaterThan(0);
  });

  test('get_home_stats: every card\'s rows carry the keys datafactory.py get_home_stats gives them', async () => {
    const item = ['title', 'year', 'total_plays', 'users_watched', 'rating_key', 'grandparent_rating_key', 'last_play', 'grandparent_thumb', 'thumb', 'art',
      'section_id', 'media_type', 'content_rating', 'rating', 'labels', 'user', 'friendly_name', 'platform', 'live', 'guid', 'row_id'];
    const play = ['thumb', 'grandparent_thumb', 'art', 'users_watched', 'platform', 'title', 'grandparent_title', 'grandchild_title', 'year', 'media_index',
      'parent_media_index', 'rating_key', 'grandparent_rating_key', 'media_type', 'content_rating', 'labels', 'live', 'guid', 'row_id'];
    const keys: Record<string, string[]> = {
      top_movies: [...item, 'total_duration'], popular_movies: item, top_tv: [...item, 'total_duration'], popular_tv: item,
      top_music: [...item, 'total_duration'], popular_music: item,
      top_libraries: [...play, 'total_plays', 'total_duration', 'section_type', 'section_name', 'section_id', 'last_play', 'library_thumb', 'library_art', 'user', 'friendly_name'],
      top_users: [...play, 'user', 'user_id', 'friendly_name', 'total_plays', 'total_duration', 'last_play', 'user_thumb'],
      top_platforms: ['total_plays', 'total_duration', 'last_play', 'platform', 'platform_name', 'title', 'thumb', 'grandparent_thumb', 'art', 'users_watched',
        'rating_key', 'grandparent_rating_key', 'user', 'friendly_name', 'row_id'],
      last_watched: ['row_id', 'user', 'friendly_name', 'user_id', 'user_thumb', 'title', 'grandparent_title', 'grandchild_title', 'year', 'media_index',
        'parent_media_index', 'rating_key', 'grandparent_rating_key', 'thumb', 'grandparent_thumb', 'art', 'section_id', 'media_type', 'content_rating',
        'rating', 'labels', 'last_watch', 'live', 'guid', 'player'],
      most_concurrent: ['title', 'count', 'started', 'stopped'],
    };
    const cards = (await v2(admin, 'get_home_stats')).data as Card[];
    expect(cards.map((c) => c.stat_id).sort()).toEqual(Object.keys(keys).sort());
    for (const c of cards) {
      expect(c.rows.length, c.stat_id).toBeGreaterThan(0);
      for (const r of c.rows) expect(Object.keys(r), c.stat_id).toEqual(expect.arrayContaining(keys[c.stat_id]!));
      expect('stat_type' in c, c.stat_id).toBe(!c.stat_id.startsWith('popular') && c.stat_id !== 'last_watched' && c.stat_id !== 'most_concurrent');
    }
  });

  test.each([
    'get_plays_by_date', 'get_plays_by_dayofweek', 'get_plays_by_hourofday', 'get_plays_per_month', 'get_plays_by_top_10_platforms',
    'get_plays_by_top_10_users', 'get_plays_by_stream_type', 'get_concurrent_streams_by_stream_type',
  ])('%s', async (cmd) => {
    const res = await v2(admin, cmd);
    expect(res.status).toBe(200);
    expect(contractDiff(res.body, tautulliExample(cmd))).toEqual([]);
    const g = res.data as Graph;
    const documented = (example(cmd) as unknown as Graph).series.map((s) => s.name);
    // The documented series are all there (graphs.py adds "Total" to the media ones), with a number per category.
    expect(g.series.map((s) => s.name)).toEqual(expect.arrayContaining(documented));
    for (const s of g.series) {
      expect(s.data).toHaveLength(g.categories.length);
      for (const v of s.data) expect(typeof v).toBe('number');
    }
    expect(g.categories.length).toBeGreaterThan(0);
  });
});

describe('get_history agrees with GET /api/history', () => {
  test('paging: start/length pages are the cursor pages, in the same order', async () => {
    const pages = await historyPages(admin, {}, 3);
    expect(pages.flat()).toHaveLength(PLAYS.length);
    for (let i = 0; i < pages.length; i++) {
      const h = await history({ start: i * 3, length: 3 });
      expect(h.data.map(key)).toEqual(pages[i]!.map(apiKey));
      expect(h.recordsFiltered).toBe(PLAYS.length);
      expect(h.recordsTotal).toBe(PLAYS.length);
    }
  });

  const bobId = async () => (await history({ user: 'bob' })).data[0]!.user_id as number;

  test.each([
    ['user_id (Plex id as is)', { user_id: '101' }, { mediaUser: 'alice' }],
    ['user', { user: 'carol' }, { mediaUser: 'carol' }],
    ['media_type', { media_type: 'movie' }, { mediaType: 'movie' }],
    ['transcode_decision copy', { transcode_decision: 'copy' }, { decision: 'directstream' }],
    ['transcode_decision direct play', { transcode_decision: 'direct play' }, { decision: 'directplay' }],
    ['media_type + transcode_decision', { media_type: 'episode', transcode_decision: 'transcode' }, { mediaType: 'episode', decision: 'transcode' }],
    ['start_date', { start_date: dateOf(1) }, { from: dateOf(1), to: dateOf(1) }],
    ['before (exclusive)', { before: dateOf(3) }, { to: dateOf(4) }],
    ['after (exclusive)', { after: dateOf(3) }, { from: `${dateOf(2)}T00:00:00.000Z` }],
    ['order asc', { order_dir: 'asc' }, { order: 'asc' }],
  ])('%s', async (_name, tautulli, marquee) => {
    const expected = (await historyPages(admin, marquee)).flat();
    expect(expected.length).toBeGreaterThan(0);
    const h = await history({ ...tautulli, length: 100 });
    expect(h.data.map(key)).toEqual(expected.map(apiKey));
    expect(h.recordsFiltered).toBe(expected.length);
  });

  test('user_id of a Jellyfin user: a stable integer that filters to that user', async () => {
    const id = await bobId();
    expect(Number.isInteger(id)).toBe(true);
    expect(id).toBeGreaterThanOrEqual(1_000_000_000);
    const h = await history({ user_id: String(id), length: 100 });
    expect(h.data.map(key)).toEqual((await historyPages(admin, { mediaUser: 'bob' })).flat().map(apiKey));
    const again = await history({ user_id: String(id) });
    expect(again.data.every((r) => r.user_id === id)).toBe(true);
    const mapping = await db.tautulliId.findFirst({ where: { kind: 'user', id } });
    expect(mapping?.key).toBe(`${JF}:${BOB_ID}`);
  });

  test('rating keys: a row\'s rating_key and grandparent/parent_rating_key find the item, the show and the season', async () => {
    const felina = (await history({ search: 'Felina' })).data[0]!;
    expect(felina.rating_key).toBe(616); // Plex rating key as it is
    const byItem = await history({ rating_key: felina.rating_key as number });
    expect(byItem.data.map((r) => r.title)).toEqual(['Felina']);
    const byShow = await history({ grandparent_rating_key: felina.grandparent_rating_key as number });
    expect(byShow.data.map((r) => r.title).sort()).toEqual(['Felina', 'Gliding Over All', 'Granite State', 'Ozymandias']);
    const bySeason = await history({ parent_rating_key: felina.parent_rating_key as number });
    expect(bySeason.recordsFiltered).toBe(4);
    const severance = (await history({ search: 'Pilot' })).data[0]!;
    expect(severance.grandparent_rating_key).not.toBe(felina.grandparent_rating_key);
  });

  test('section_id: a Plex section id as is', async () => {
    const h = await history({ section_id: 2, length: 100 });
    expect(h.data.map((r) => r.title).sort()).toEqual(['Felina', 'Gliding Over All', 'Granite State', 'Ozymandias']);
  });

  test('search, order_column, server_id, include_activity', async () => {
    expect((await history({ search: 'roku' })).data.map((r) => r.title).sort()).toEqual(['Felina', 'Ozymandias']);
    const byDuration = (await history({ order_column: 'duration', order_dir: 'desc', include_activity: 0 })).data.map((r) => r.play_duration as number);
    expect(byDuration).toEqual([...byDuration].sort((a, b) => b - a));
    const jf = await history({ server_id: JF });
    expect(jf.recordsFiltered).toBe(3);
    expect(jf.recordsTotal).toBe(3);
    expect((await history({ include_activity: 0 })).recordsFiltered).toBe(PLAYS.length - 1);
  });

  test('row fields: Tautulli\'s semantics', async () => {
    const rows = (await history({ length: 100 })).data;
    const heat = rows.find((r) => r.title === 'Heat' && r.user === 'alice')!;
    const p = PLAYS[0]!;
    expect(heat).toMatchObject({
      date: p.started.getTime() / 1000, started: p.started.getTime() / 1000, stopped: p.started.getTime() / 1000 + 6120, play_duration: 6000, paused_counter: 120,
      percent_complete: 95, watched_status: 1, group_count: 1, location: 'lan', session_key: null, state: null, transcode_decision: 'direct play',
      media_type: 'movie', full_title: 'Heat', parent_rating_key: '', grandparent_rating_key: '', user_id: 101, rating_key: 500,
      thumb: '/library/metadata/500/thumb',
    });
    expect(heat.group_ids).toBe(String(heat.row_id));
    const felina = rows.find((r) => r.title === 'Felina')!;
    expect(felina).toMatchObject({ full_title: 'Breaking Bad - Felina', transcode_decision: 'copy', watched_status: 0.5, media_index: 16, parent_media_index: 5 });
    const ozy = rows.find((r) => r.title === 'Ozymandias')!;
    expect(ozy.location).toBe('wan');
    const open = rows.find((r) => r.title === 'Gliding Over All')!;
    // The open play, paused 5 minutes in: watched 300 s so far.
    expect(open).toMatchObject({ state: 'paused', session_key: '77', row_id: null, group_count: null, play_duration: 300 });
    // Tautulli's human durations: finished plays only in total_duration.
    // 26,800 s of finished plays (below 300,000 s Tautulli shows seconds too).
    const h = await history();
    expect(h.total_duration).toBe('7 hrs 26 mins 40 secs');
    expect(h.draw).toBe(1);
    expect((await history({ draw: 7 })).draw).toBe(7);
  });
});

describe('get_home_stats', () => {
  const cards = async (params: Record<string, string | number> = {}, k = admin) => (await v2(k, 'get_home_stats', params)).data as Card[];
  const card = (cs: Card[], id: string) => cs.find((c) => c.stat_id === id)!;

  test('top cards count the last time_range days', async () => {
    const cs = await cards();
    const movies = card(cs, 'top_movies').rows;
    expect(movies.map((r) => [r.title, r.total_plays, r.total_duration])).toEqual([['Heat', 2, 11000]]);
    expect(card(cs, 'popular_movies').rows[0]).toMatchObject({ title: 'Heat', users_watched: 2 });
    expect(card(cs, 'top_tv').rows.map((r) => [r.title, r.total_plays])).toEqual([['Breaking Bad', 4], ['Severance', 1]]);
    expect(card(cs, 'top_music').rows.map((r) => [r.title, r.total_plays])).toEqual([['Band', 1]]);
    expect(card(cs, 'top_users').rows.map((r) => [r.user, r.total_plays])).toEqual([['alice', 3], ['bob', 3], ['carol', 2]]);
    expect(card(cs, 'top_users').rows[0]!.user_id).toBe(101);
    expect(card(cs, 'top_platforms').rows.map((r) => [r.platform, r.total_plays])).toEqual([['Android', 3], ['Chrome', 2], ['Roku', 2], ['Plex Web', 1]]);
    expect(card(cs, 'top_platforms').rows[0]!.platform_name).toBe('android');
    expect(card(cs, 'last_watched').rows.map((r) => r.grandchild_title)).toEqual(['Granite State', 'Heat', 'Ozymandias', 'Pilot']);
    expect(card(cs, 'top_libraries').rows.map((r) => [r.section_name, r.total_plays, r.section_id])).toEqual([['TV Shows', 4, 2], ['Movies', 1, 1], ['Shows', 1, expect.any(Number)]]);
    const concurrent = card(cs, 'most_concurrent').rows;
    expect(concurrent[0]).toMatchObject({ title: 'Concurrent Streams', count: 2, started: String(at(1, 20.25).getTime() / 1000), stopped: String(at(1, 20).getTime() / 1000 + 3000) });
    expect(concurrent.map((r) => r.title)).toEqual(['Concurrent Streams', 'Concurrent Transcodes', 'Concurrent Direct Streams', 'Concurrent Direct Plays']);
  });

  test('time_range, stats_type duration, stats_count, stats_start, stat_id, user_id', async () => {
    expect(card(await cards({ time_range: 60 }), 'top_movies').rows.map((r) => r.title)).toEqual(['Heat', 'Old Movie']);
    const byDuration = card(await cards({ stats_type: 'duration' }), 'top_users');
    expect(byDuration.stat_type).toBe('total_duration');
    expect(byDuration.rows.map((r) => r.user)).toEqual(['alice', 'bob', 'carol']);
    expect(card(await cards({ stats_type: 1 }), 'top_users').stat_type).toBe('total_duration');
    expect(card(await cards({ stats_count: 1, stats_start: 1 }), 'top_users').rows.map((r) => r.user)).toEqual(['bob']);
    const one = (await v2(admin, 'get_home_stats', { stat_id: 'top_tv' })).data as Card;
    expect(one.stat_id).toBe('top_tv');
    expect(card(await cards({ user_id: 101 }), 'top_tv').rows.map((r) => [r.title, r.total_plays])).toEqual([['Breaking Bad', 2]]);
    // before: time_range days up to that local date (inclusive); after: from that date on.
    expect(card(await cards({ before: dateOf(2), time_range: 1 }), 'top_users').rows.map((r) => [r.user, r.total_plays])).toEqual([['alice', 2]]);
    expect(card(await cards({ after: dateOf(5), time_range: 1 }), 'top_users').rows.map((r) => [r.user, r.total_plays])).toEqual([['bob', 1]]);
  });
});

describe('get_home_stats agrees with GET /api/analytics', () => {
  const CARDS = { top_users: 'users', top_movies: 'movies', top_tv: 'shows', top_platforms: 'platforms', top_libraries: 'libraries' } as const;
  const name = (card: string, r: Record<string, unknown>) => (card === 'top_users' ? r.user : card === 'top_platforms' ? r.platform : card === 'top_libraries' ? r.section_name : r.title);

  async function agree(key: string, timeRange: number, range: string, extra: Record<string, string | number> = {}) {
    const top = await analyticsTop(key, { range, limit: 100 });
    const cards = (await v2(key, 'get_home_stats', { time_range: timeRange, stats_count: 100, ...extra })).data as Card[];
    for (const [card, list] of Object.entries(CARDS)) {
      const rows = cards.find((c) => c.stat_id === card)!.rows;
      expect(rows.map((r) => ({ name: name(card, r), plays: r.total_plays, watchTimeS: r.total_duration })), card).toEqual(top[list]);
    }
    return top;
  }

  test('admin, 30 and 7 days, before and after the rollups are built', async () => {
    const top = await agree(admin, 30, '30d');
    expect(top.users!.map((r) => r.name)).toEqual(['alice', 'bob', 'carol']);
    await agree(admin, 7, '7d');
    await rebuildRollups();
    await agree(admin, 30, '30d');
    await agree(admin, 365, '365d');
  });

  test("a viewer's key", async () => {
    const top = await agree(viewer, 30, '30d');
    expect(top.users!.map((r) => r.name)).toEqual(['alice']);
  });
});

describe('graphs', () => {
  const graph = async (cmd: string, params: Record<string, string | number> = {}, k = admin) => (await v2(k, cmd, params)).data as Graph;
  const series = (g: Graph, name: string) => g.series.find((s) => s.name === name)!.data;
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

  test('plays by date: the last time_range days, by media type, in the key owner\'s timezone', async () => {
    const g = await graph('get_plays_by_date');
    expect(g.categories).toHaveLength(30);
    expect(g.categories.at(-1)).toBe(new Date().toISOString().slice(0, 10));
    expect(sum(series(g, 'Total'))).toBe(8);
    expect(sum(series(g, 'Movies'))).toBe(2);
    expect(sum(series(g, 'TV'))).toBe(5);
    expect(sum(series(g, 'Music'))).toBe(1);
    expect(series(g, 'Movies')[g.categories.indexOf(dateOf(2))]).toBe(1);
    const d = await graph('get_plays_by_date', { y_axis: 'duration', time_range: 7 });
    expect(series(d, 'Movies')[d.categories.indexOf(dateOf(2))]).toBe(6000);
  });

  test('day of week, hour of day, month, stream type, concurrent', async () => {
    const h = await graph('get_plays_by_hourofday');
    expect(h.categories[0]).toBe('00');
    expect(series(h, 'TV')[20]).toBe(episodesAtHour(20));
    const w = await graph('get_plays_by_dayofweek');
    expect(w.categories).toEqual(['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday']);
    expect(series(w, 'Movies')[at(2, 12).getUTCDay()]).toBe(1);
    const m = await graph('get_plays_per_month', { time_range: 3 });
    expect(m.categories).toHaveLength(3);
    expect(m.categories.at(-1)).toMatch(/^[A-Z][a-z]{2} \d{4}$/);
    expect(sum(series(m, 'Total'))).toBe(PLAYS.filter((p) => p.started.toISOString().slice(0, 7) >= monthsBack(2)).length);
    const s = await graph('get_plays_by_stream_type');
    expect(sum(series(s, 'Transcode'))).toBe(2);
    expect(sum(series(s, 'Direct Stream'))).toBe(1);
    const c = await graph('get_concurrent_streams_by_stream_type');
    const i = c.categories.indexOf(dateOf(1));
    expect(series(c, 'Max. Concurrent Streams')[i]).toBe(2);
    expect(series(c, 'Direct Play')[i]).toBe(1);
    expect(series(c, 'Direct Stream')[i]).toBe(1);
  });

  test('top 10 platforms and users', async () => {
    const p = await graph('get_plays_by_top_10_platforms');
    expect(p.categories).toEqual(['Android', 'Chrome', 'Roku', 'Plex Web']);
    expect(series(p, 'TV')).toEqual([1, 1, 2, 1]);
    const u = await graph('get_plays_by_top_10_users');
    expect(u.categories).toEqual(['alice', 'bob', 'carol']);
    expect(series(u, 'Total')).toEqual([3, 3, 2]);
    expect((await graph('get_plays_by_top_10_users', { user_id: 102 })).categories).toEqual(['carol']);
  });

  test('timezone: hours and dates are the key owner\'s', async () => {
    const owner = await createUser({ role: 'admin' });
    await db.user.update({ where: { id: owner.id }, data: { timezone: 'Asia/Tokyo' } });
    const k = await apiToken(owner);
    const h = await graph('get_plays_by_hourofday', {}, k);
    expect(series(h, 'TV')[5]).toBe(episodesAtHour(20)); // 20:00 UTC is 05:00 in Tokyo
    const felina = (await history({ start_date: dateOf(0), search: 'Felina' }, k)).data.map((r) => r.title);
    expect(felina).toEqual(['Felina']);
  });
});

/** Episodes of the last 30 days started at this UTC hour (the open play's hour depends on when the test runs). */
function episodesAtHour(h: number): number {
  return PLAYS.filter((p) => p.type === 'episode' && Date.now() - p.started.getTime() < 29 * 86_400_000 && p.started.getUTCHours() === h).length;
}

function monthsBack(n: number): string {
  const d = new Date();
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - n, 1)).toISOString().slice(0, 7);
}

describe("a viewer's key sees only their own plays", () => {
  test('history, home stats and graphs', async () => {
    const mine = PLAYS.filter((p) => p.user === 'alice');
    const h = await history({ length: 100 }, viewer);
    expect(h.data.map((r) => r.user)).toEqual(mine.map(() => 'alice'));
    expect(h.recordsTotal).toBe(mine.length);
    expect((await history({ user: 'bob' }, viewer)).data).toEqual([]);
    expect((await history({ user_id: 102 }, viewer)).data).toEqual([]);
    const cs = (await v2(viewer, 'get_home_stats')).data as Card[];
    expect(cs.find((c) => c.stat_id === 'top_users')!.rows.map((r) => r.user)).toEqual(['alice']);
    expect(cs.find((c) => c.stat_id === 'top_platforms')!.rows.map((r) => r.platform)).toEqual(['Chrome', 'Roku']);
    const g = (await v2(viewer, 'get_plays_by_date')).data as Graph;
    expect(g.series.find((s) => s.name === 'Total')!.data.reduce((a, b) => a + b, 0)).toBe(3);
    expect(((await v2(viewer, 'get_plays_by_top_10_users')).data as Graph).categories).toEqual(['alice']);
  });
});
