// GET /api/analytics through its route handler against seeded plays (several servers, users, media
// types, decisions; some open; some across the 2026-03-08 DST change in New York). Acceptance 1 of
// issue 12: every summary number and every top list equals a direct computation over the rows of
// GET /api/history/export?format=json for the same range and scope, for an admin, a staff user of
// one server and a viewer of one media user, with the rollups not built, built, and refreshed after
// new plays close.
import { beforeAll, describe, expect, test } from 'vitest';
import { db } from '@/lib/db';
import { closeServerPlays } from '@/lib/history';
import { rebuildRollups, refreshRollups, TOP_KINDS } from '@/lib/analytics';
import { GET as analyticsGET } from '@/app/api/analytics/route';
import { GET as exportGET } from '@/app/api/history/export/route';
import { authHeaders, createUser, req, type TestUser } from '../helpers/auth';

const noCtx = { params: Promise.resolve({}) };
const NY = 'America/New_York';
const SERVERS = ['an-s1', 'an-s2', 'an-s3'];

type Row = { id: string; serverId: string; mediaUser: string | null; title: string; grandparentTitle: string | null; mediaType: string; startedAt: string; stoppedAt: string | null; watchedS: number; completed: boolean; decision: string | null; player: string | null; platform: string | null; product: string | null; library: string | null };
type TopRow = { name: string; plays: number; watchTimeS: number };
type Analytics = {
  range: { key: string; from: string; to: string; timezone: string };
  summary: Record<string, number>;
  top: Record<string, TopRow[]>;
  playsPerDay: { date: string; movie: number; episode: number; track: number; other: number }[];
  hourByWeekday: { weekday: number; hour: number; plays: number }[];
  concurrent: { date: string; directplay: number; directstream: number; transcode: number; total: number }[];
  decisions: TopRow[];
  resolutions: TopRow[];
};

let admin: TestUser;
let staff: TestUser;
let viewer: TestUser;
let staff2: TestUser;
let viewerMixed: TestUser;

async function analytics(user: TestUser, query: string): Promise<{ status: number; body: Analytics & { error?: { code: string } } }> {
  const res = await analyticsGET(req(`/api/analytics?${query}`, { headers: await authHeaders(user) }), noCtx);
  return { status: res.status, body: (await res.json()) as Analytics & { error?: { code: string } } };
}

async function exported(user: TestUser, query: string): Promise<Row[]> {
  const res = await exportGET(req(`/api/history/export?format=json&${query}`, { headers: await authHeaders(user) }), noCtx);
  expect(res.status).toBe(200);
  return JSON.parse(await res.text()) as Row[];
}

// What the analytics numbers must be, computed from export rows.
const NAME_OF: Record<string, (r: Row) => string | null> = {
  users: (r) => r.mediaUser,
  movies: (r) => (r.mediaType === 'movie' ? r.title : null),
  shows: (r) => (r.mediaType === 'episode' ? r.grandparentTitle : null),
  libraries: (r) => r.library,
  platforms: (r) => r.platform,
  players: (r) => r.product,
  devices: (r) => r.player,
};

function expectedSummary(rows: Row[]): Record<string, number> {
  const plays = rows.length;
  return {
    plays,
    activeUsers: new Set(rows.map((r) => r.mediaUser).filter(Boolean)).size,
    watchTimeS: rows.reduce((s, r) => s + r.watchedS, 0),
    completionRate: plays ? rows.filter((r) => r.completed).length / plays : 0,
    transcodeRate: plays ? rows.filter((r) => r.decision === 'transcode').length / plays : 0,
  };
}

function expectedTop(rows: Row[], nameOf: (r: Row) => string | null, limit: number): TopRow[] {
  const by = new Map<string, TopRow>();
  for (const r of rows) {
    const name = nameOf(r);
    if (!name) continue;
    const t = by.get(name) ?? { name, plays: 0, watchTimeS: 0 };
    t.plays += 1;
    t.watchTimeS += r.watchedS;
    by.set(name, t);
  }
  return [...by.values()].sort((a, b) => b.plays - a.plays || b.watchTimeS - a.watchTimeS || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)).slice(0, limit);
}

/** Analytics for the query equal, report by report, what the export's rows give for its range. */
async function compareWithExport(user: TestUser, query: string, limit = 100) {
  const { status, body } = await analytics(user, `${query}&limit=${limit}`);
  expect(status).toBe(200);
  const server = new URLSearchParams(query).get('serverId');
  const rows = await exported(user, `from=${encodeURIComponent(body.range.from)}&to=${encodeURIComponent(body.range.to)}${server ? `&serverId=${server}` : ''}`);
  const summary = expectedSummary(rows);
  expect(Object.keys(body.summary).sort()).toEqual(Object.keys(summary).sort());
  for (const key of Object.keys(summary)) expect({ key, value: body.summary[key] }).toEqual({ key, value: summary[key] });
  expect(Object.keys(body.top).sort()).toEqual([...TOP_KINDS].sort());
  for (const kind of TOP_KINDS) expect({ kind, rows: body.top[kind] }).toEqual({ kind, rows: expectedTop(rows, NAME_OF[kind]!, limit) });
  // The time-bucketed reports add up to the same plays.
  expect(body.playsPerDay.reduce((s, d) => s + d.movie + d.episode + d.track + d.other, 0)).toBe(rows.length);
  expect(body.hourByWeekday).toHaveLength(168);
  expect(body.hourByWeekday.reduce((s, c) => s + c.plays, 0)).toBe(rows.length);
  expect(body.decisions.reduce((s, d) => s + d.plays, 0)).toBe(rows.length);
  expect(body.resolutions.reduce((s, d) => s + d.plays, 0)).toBe(rows.length);
  return { body, rows };
}

// A small deterministic PRNG so the seed is the same every run.
function prng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const at = (iso: string) => new Date(iso);
const base = {
  sessionKey: null, itemKey: null, parentIndex: null, index: null, durationS: 3600, positionS: null, progressPct: 50, ipAddress: '10.0.0.1', isLocal: true, source: 'poll' as const,
};

async function seed() {
  const rnd = prng(42);
  const pick = <T,>(xs: T[]) => xs[Math.floor(rnd() * xs.length)]!;
  const users = [
    { id: 'u1', name: 'alice' }, { id: 'u2', name: 'bob' }, { id: 'u3', name: 'carol' }, { id: 'u4', name: null },
  ];
  const plays = [];
  const start = Date.parse('2026-02-20T00:00:00Z');
  const span = Date.parse('2026-03-20T00:00:00Z') - start;
  for (let i = 0; i < 400; i++) {
    const serverId = pick(SERVERS);
    const user = pick(users);
    const mediaType = pick(['movie', 'movie', 'episode', 'episode', 'episode', 'track', 'live']);
    const s = start + Math.floor(rnd() * span / 1000) * 1000;
    const len = (5 + Math.floor(rnd() * 120)) * 60_000;
    const open = i % 37 === 0;
    plays.push({
      ...base,
      id: `an-play-${i}`, serverId, serverName: serverId.toUpperCase(), mediaUserId: user.id, mediaUser: user.name ?? (null as string | null),
      title: mediaType === 'movie' ? pick(['Heat', 'Alien', 'Up', 'Brazil', 'Ran']) : mediaType === 'episode' ? `Episode ${i % 9}` : `Thing ${i % 5}`,
      grandparentTitle: mediaType === 'episode' ? pick(['The Wire', 'Lost', 'Dark']) : mediaType === 'track' ? 'Some Artist' : null,
      mediaType, startedAt: new Date(s), stoppedAt: open ? null : new Date(s + len), lastSeenAt: new Date(s + len),
      // An open play is paused, so its watched time so far stays put between two requests.
      pausedS: 30, pausedSince: open ? new Date(s + 600_000) : null, watchedS: open ? 0 : Math.floor(len / 1000) - 30 - Math.floor(rnd() * 60),
      completed: rnd() < 0.4, decision: pick(['directplay', 'directstream', 'transcode', null]),
      player: pick(['Living Room', 'Phone', 'iPad', null]), platform: pick(['Roku', 'Android', 'iOS', 'Chrome', null]),
      product: pick(['Plex for Roku', 'Plex Web', 'Jellyfin Web', null]), library: pick(['Movies', 'TV', 'Music', null]),
      detail: { stream: { streamResolution: pick(['1080', '720', '4k', null]), sourceResolution: pick(['1080', '4k']) } },
    });
  }
  // 2026-03-08 in New York has 23 hours (02:00 EST jumps to 03:00 EDT).
  const dst = [
    ['dst-1', '2026-03-08T05:30:00Z', 'movie'], // 00:30 EST
    ['dst-2', '2026-03-08T06:30:00Z', 'movie'], // 01:30 EST
    ['dst-3', '2026-03-08T07:30:00Z', 'episode'], // 03:30 EDT (the first hour after the jump)
    ['dst-4', '2026-03-08T07:45:00Z', 'track'], // 03:45 EDT
    ['dst-5', '2026-03-09T03:30:00Z', 'episode'], // 23:30 EDT, still March 8 locally
    ['dst-6', '2026-03-09T04:10:00Z', 'movie'], // 00:10 EDT March 9
    ['dst-7', '2026-03-08T04:50:00Z', 'movie'], // 23:50 EST March 7
  ] as const;
  for (const [id, s, mediaType] of dst) {
    plays.push({
      ...base, id, serverId: 'an-dst', serverName: 'DST', mediaUserId: 'd1', mediaUser: 'dave', title: `DST ${id}`, grandparentTitle: mediaType === 'episode' ? 'Night Show' : null,
      mediaType, startedAt: at(s), stoppedAt: new Date(Date.parse(s) + 600_000), lastSeenAt: new Date(Date.parse(s) + 600_000), pausedS: 0, pausedSince: null, watchedS: 600,
      completed: true, decision: 'directplay', player: 'TV', platform: 'Roku', product: 'Plex for Roku', library: 'Movies', detail: {},
    });
  }
  // Concurrency on 2026-03-12 (New York, EDT = UTC-4).
  const conc = [
    ['c-a', '2026-03-12T15:00:00Z', '2026-03-12T16:30:00Z', 'directplay'],
    ['c-b', '2026-03-12T15:30:00Z', '2026-03-12T17:00:00Z', 'transcode'],
    ['c-c', '2026-03-12T16:00:00Z', '2026-03-12T16:10:00Z', 'transcode'],
    ['c-d', '2026-03-12T16:30:00Z', '2026-03-12T18:00:00Z', 'directstream'], // starts as c-a stops: never together
    ['c-e', '2026-03-13T03:30:00Z', '2026-03-13T05:30:00Z', 'directplay'], // 23:30 → 01:30 local, over midnight
  ] as const;
  for (const [id, s, e, decision] of conc) {
    plays.push({
      ...base, id, serverId: 'an-conc', serverName: 'CONC', mediaUserId: 'c1', mediaUser: 'cora', title: `Conc ${id}`, grandparentTitle: null,
      mediaType: 'movie', startedAt: at(s), stoppedAt: at(e), lastSeenAt: at(e), pausedS: 0, pausedSince: null, watchedS: (Date.parse(e) - Date.parse(s)) / 1000,
      completed: false, decision, player: 'TV', platform: 'Roku', product: 'Plex for Roku', library: 'Movies', detail: {},
    });
  }
  await db.play.createMany({ data: plays });
}

beforeAll(async () => {
  await seed();
  admin = await createUser({ role: 'admin' });
  staff = await createUser({ role: 'staff', serverIds: ['an-s1'] });
  viewer = await createUser({ role: 'viewer', mediaUsers: ['an-s2:u2'] });
  // Scopes the rollups answer only in part: two of three servers (concurrency swept from the plays),
  // a whole server plus a single media user of another.
  staff2 = await createUser({ role: 'support', serverIds: ['an-s1', 'an-s2'] });
  viewerMixed = await createUser({ role: 'viewer', mediaUsers: ['an-s1:*', 'an-s3:u1'] });
});

const RANGES = [
  `from=2026-02-25T07:13:00.000Z&to=2026-03-15T12:34:56.789Z&tz=${NY}`, // ragged ends
  `from=2026-03-01&to=2026-03-10&tz=${NY}`, // whole local days
  `from=2026-02-01&to=2026-03-31&tz=UTC`, // whole UTC months and days
  `from=2026-03-05T00:00:00Z&to=2026-03-18T00:00:00Z&tz=Asia/Kolkata&serverId=an-s2`, // half-hour offset, one server
];

async function compareAll() {
  const out: Record<string, Analytics> = {};
  const actors = [['admin', () => admin], ['staff', () => staff], ['viewer', () => viewer], ['staff2', () => staff2], ['viewerMixed', () => viewerMixed]] as const;
  for (const [who, user] of actors) {
    for (const range of RANGES) out[`${who} ${range}`] = (await compareWithExport(user(), range)).body;
  }
  return out;
}

describe('GET /api/analytics equals the export', () => {
  test('every summary number and top list, for each scope and range, with the rollups not built and then built', async () => {
    await db.analyticsState.update({ where: { id: 'default' }, data: { watermark: null } });
    const raw = await compareAll();
    // The scopes really differ (a staff user sees one server, a viewer one media user).
    const admin1 = raw[`admin ${RANGES[0]}`]!;
    const staff1 = raw[`staff ${RANGES[0]}`]!;
    const viewer1 = raw[`viewer ${RANGES[0]}`]!;
    expect(admin1.summary.plays).toBeGreaterThan(staff1.summary.plays);
    expect(staff1.summary.plays).toBeGreaterThan(viewer1.summary.plays);
    expect(viewer1.summary.plays).toBeGreaterThan(0);
    expect(viewer1.top.users.map((u) => u.name)).toEqual(['bob']);
    expect(raw[`viewerMixed ${RANGES[0]}`]!.summary.plays).toBeGreaterThan(staff1.summary.plays);

    const built = await rebuildRollups();
    expect(built.hours).toBeGreaterThan(0);
    expect(await db.analyticsHour.count()).toBeGreaterThan(0);
    expect(await db.analyticsDim.count({ where: { grain: 'month' } })).toBeGreaterThan(0);
    expect(await db.analyticsDirtyHour.count()).toBe(0);
    const rolled = await compareAll();
    // Every report, concurrency and the day/hour buckets included, is the same from the rollups.
    expect(rolled).toEqual(raw);
  });

  test('the reports read the rollups (a tampered rollup shows), and a rebuild repairs them', async () => {
    await rebuildRollups();
    const q = `from=2026-02-01&to=2026-03-31&tz=UTC`;
    const before = (await analytics(admin, q)).body;
    // An admin without a server filter reads the all-servers rows ("*").
    const hourRows = await db.$executeRaw`UPDATE "AnalyticsHour" SET "plays" = "plays" + 1000 WHERE "serverId" = '*' AND "bucket" = (SELECT min("bucket") FROM "AnalyticsHour" WHERE "bucket" >= '2026-02-10')`;
    const monthRows = await db.$executeRaw`UPDATE "AnalyticsDim" SET "plays" = "plays" + 1000 WHERE "kind" = 'users' AND "name" = 'alice' AND "grain" = 'month' AND "serverId" = '*'`;
    expect(hourRows).toBeGreaterThan(0);
    expect(monthRows).toBeGreaterThan(0);
    const tampered = (await analytics(admin, q)).body;
    expect(tampered.summary.plays).toBe(before.summary.plays + 1000 * hourRows);
    expect(tampered.top.users[0]).toMatchObject({ name: 'alice', plays: before.top.users.find((u) => u.name === 'alice')!.plays + 1000 * monthRows });
    await rebuildRollups();
    expect((await analytics(admin, q)).body).toEqual(before);
  });

  test('bad parameters are 400 with a code of their own', async () => {
    const cases: [string, string][] = [
      ['range=2w', 'invalid_range'],
      ['from=yesterday', 'invalid_from'],
      ['from=2026-03-01&to=soon', 'invalid_to'],
      ['from=2026-03-02&to=2026-03-01', 'invalid_range'],
      ['to=2026-03-01', 'invalid_range'],
      ['tz=Mars/Olympus', 'invalid_timezone'],
      ['limit=0', 'invalid_limit'],
      ['limit=101', 'invalid_limit'],
      ['limit=ten', 'invalid_limit'],
      ['from=2000-01-01&to=2026-01-01', 'range_too_large'],
    ];
    for (const [query, code] of cases) {
      const { status, body } = await analytics(admin, query);
      expect({ query, status, code: body.error?.code }).toEqual({ query, status: 400, code });
    }
  });

  test('the default range is the last 7 days in the caller’s timezone, top lists 10 rows', async () => {
    await db.user.update({ where: { id: admin.id }, data: { timezone: 'Europe/Paris' } });
    const { status, body } = await analytics(admin, '');
    expect(status).toBe(200);
    expect(body.range.key).toBe('7d');
    expect(body.range.timezone).toBe('Europe/Paris');
    expect(Date.parse(body.range.to) - Date.parse(body.range.from)).toBe(7 * 86_400_000);
    expect(body.playsPerDay.length).toBeGreaterThanOrEqual(7);
    expect(body.playsPerDay.length).toBeLessThanOrEqual(8);
    for (const key of ['24h', '30d', '180d', '365d']) expect((await analytics(admin, `range=${key}`)).body.range.key).toBe(key);
    await db.user.update({ where: { id: admin.id }, data: { timezone: 'UTC' } });
  });
});

describe('timezones', () => {
  for (const built of [false, true]) {
    test(`2026-03-08 in New York: 23 hours, plays in their local hours (rollups ${built ? 'built' : 'not built'})`, async () => {
      if (built) await rebuildRollups();
      else await db.analyticsState.update({ where: { id: 'default' }, data: { watermark: null } });
      const { body } = await analytics(admin, `from=2026-03-08&to=2026-03-08&tz=${NY}&serverId=an-dst`);
      expect(body.range).toEqual({ key: 'custom', from: '2026-03-08T05:00:00.000Z', to: '2026-03-09T03:59:59.999Z', timezone: NY });
      expect(Date.parse(body.range.to) + 1 - Date.parse(body.range.from)).toBe(23 * 3_600_000);
      expect(body.playsPerDay).toEqual([{ date: '2026-03-08', movie: 2, episode: 2, track: 1, other: 0 }]);
      const nonZero = body.hourByWeekday.filter((c) => c.plays > 0);
      // 2026-03-08 is a Sunday (weekday 0); no play can be in the skipped hour 02.
      expect(nonZero).toEqual([
        { weekday: 0, hour: 0, plays: 1 },
        { weekday: 0, hour: 1, plays: 1 },
        { weekday: 0, hour: 3, plays: 2 },
        { weekday: 0, hour: 23, plays: 1 },
      ]);
      // Over three local days the neighbours land on Saturday 23:xx and Monday 00:xx.
      const wide = (await analytics(admin, `from=2026-03-07&to=2026-03-09&tz=${NY}&serverId=an-dst`)).body;
      expect(wide.playsPerDay.map((d) => [d.date, d.movie + d.episode + d.track + d.other])).toEqual([['2026-03-07', 1], ['2026-03-08', 5], ['2026-03-09', 1]]);
      expect(wide.hourByWeekday.filter((c) => c.plays > 0 && c.weekday !== 0)).toEqual([
        { weekday: 1, hour: 0, plays: 1 },
        { weekday: 6, hour: 23, plays: 1 },
      ]);
      // The same plays in UTC.
      const utc = (await analytics(admin, `from=2026-03-08&to=2026-03-09&tz=UTC&serverId=an-dst`)).body;
      expect(utc.playsPerDay.map((d) => [d.date, d.movie + d.episode + d.track + d.other])).toEqual([['2026-03-08', 5], ['2026-03-09', 2]]);
    });

    test(`concurrent streams: peak per local day by decision (rollups ${built ? 'built' : 'not built'})`, async () => {
      if (built) await rebuildRollups();
      else await db.analyticsState.update({ where: { id: 'default' }, data: { watermark: null } });
      const { body } = await analytics(admin, `from=2026-03-12&to=2026-03-13&tz=${NY}&serverId=an-conc`);
      expect(body.concurrent).toEqual([
        { date: '2026-03-12', directplay: 1, directstream: 1, transcode: 2, total: 3 },
        { date: '2026-03-13', directplay: 1, directstream: 0, transcode: 0, total: 1 },
      ]);
      const staffView = (await analytics(staff, `from=2026-03-12&to=2026-03-13&tz=${NY}`)).body;
      expect(staffView.concurrent.every((d) => d.total <= 10)).toBe(true);
    });
  }
});

describe('incremental refresh', () => {
  test('the analytics-refresh job is scheduled and its handler refreshes the rollups', async () => {
    const { jobs } = await import('@/lib/jobs/definitions');
    const { refreshAnalytics } = await import('@/workers/analytics');
    expect(jobs.analyticsRefresh.name).toBe('analytics-refresh');
    expect(jobs.analyticsRefresh.schedule?.cron).toBe('* * * * *');
    await db.analyticsState.update({ where: { id: 'default' }, data: { watermark: null } });
    const first = await refreshAnalytics(); // never built: a full build
    expect(first.watermark).not.toBeNull();
    expect(await db.analyticsHour.count()).toBeGreaterThan(0);
    await db.play.update({ where: { id: 'an-play-1' }, data: { watchedS: { increment: 7 } } });
    expect(await db.analyticsDirtyHour.count()).toBeGreaterThan(0);
    const second = await refreshAnalytics();
    expect(second.hours).toBeGreaterThan(0);
    expect(await db.analyticsDirtyHour.count()).toBe(0);
  });

  test('plays that open, close and are refreshed change the numbers exactly', async () => {
    await rebuildRollups();
    const q = `from=2026-03-01T00:00:00Z&to=2026-03-20T00:00:00Z&tz=${NY}&serverId=an-s3`;
    const before = (await compareWithExport(admin, q)).body;
    const fresh = Array.from({ length: 12 }, (_, i) => ({
      ...base, id: `an-new-${i}`, serverId: 'an-s3', serverName: 'AN-S3', mediaUserId: 'u9', mediaUser: 'zed', title: 'Heat', grandparentTitle: null,
      mediaType: 'movie', startedAt: new Date(Date.parse('2026-03-10T10:00:00Z') + i * 3_600_000), stoppedAt: null, lastSeenAt: new Date(Date.parse('2026-03-10T10:00:00Z') + i * 3_600_000 + 1_200_000),
      pausedS: 0, pausedSince: new Date(Date.parse('2026-03-10T10:00:00Z') + i * 3_600_000 + 1_200_000), watchedS: 0, completed: false, decision: 'transcode',
      player: 'TV', platform: 'Roku', product: 'Plex for Roku', library: 'Movies', detail: {},
    }));
    await db.play.createMany({ data: fresh });
    const open = (await compareWithExport(admin, q)).body;
    expect(open.summary.plays).toBe(before.summary.plays + 12);
    // Closing them (as a server removal does) marks their hours dirty; the numbers stay exact before the refresh…
    expect(await closeServerPlays('an-s3', new Date('2026-03-10T23:30:00Z'))).toBeGreaterThanOrEqual(12);
    expect(await db.analyticsDirtyHour.count()).toBeGreaterThan(0);
    const closed = (await compareWithExport(admin, q)).body;
    expect(closed.top.users.find((u) => u.name === 'zed')).toMatchObject({ plays: 12 });
    // …and after it, now read from the refreshed rollups.
    const rollupBefore = await db.analyticsHour.aggregate({ _sum: { plays: true }, where: { serverId: 'an-s3' } });
    const refreshed = await refreshRollups();
    expect(refreshed.skipped).toBeUndefined();
    expect(await db.analyticsDirtyHour.count()).toBe(0);
    const rollupAfter = await db.analyticsHour.aggregate({ _sum: { plays: true }, where: { serverId: 'an-s3' } });
    expect((rollupAfter._sum.plays ?? 0) - (rollupBefore._sum.plays ?? 0)).toBeGreaterThanOrEqual(12);
    const after = (await compareWithExport(admin, q)).body;
    expect(after).toEqual(closed);
    expect(after.summary.plays).toBe(before.summary.plays + 12);
    expect(after.summary.transcodeRate).not.toBe(before.summary.transcodeRate);
  });
});
