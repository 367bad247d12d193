// `npm run bench:analytics [-- --plays=N --requests=N]`: p50/p95 of GET /api/analytics through its
// route handler (Bearer token, the real lib/analytics over PostgreSQL) at 5M plays over two years
// (500 media users, 20k items, 3 servers), for every range × (all servers, one server) × (admin, a
// viewer scoped to one media user), after the rollup build; then the rollup refresh time after 1,000
// new plays. Goals: p95 < 250 ms, refresh < 2 s. Scratch database, dropped at the end.
import { createHash, randomBytes } from 'node:crypto';
import pg from 'pg';
import { createScratchDatabase } from './lib/scratch';

const arg = (name: string, dflt: number) => {
  const a = process.argv.find((x) => x.startsWith(`--${name}=`));
  return a ? Number(a.slice(name.length + 3)) : dflt;
};
const PLAYS = arg('plays', 5_000_000);
const N = arg('requests', 20);
const KEEP = process.argv.includes('--keep');
const JIT_OFF = process.argv.includes('--jit-off');

const scratch = await createScratchDatabase('marquee_bench_analytics');
process.env.AUTH_SECRET ??= randomBytes(32).toString('base64');
const { deployMigrations } = await import('../lib/database/migrate');
await deployMigrations(scratch.url);
const client = new pg.Client({ connectionString: scratch.url });
await client.connect();
if (JIT_OFF) await client.query(`ALTER DATABASE "${scratch.name}" SET jit = off`);

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(xs.length * p) - 1)]!;
const secs = (t: number) => `${((performance.now() - t) / 1000).toFixed(1)} s`;

// Plays are written in time order (as history grows), over the last $4 seconds; $6: the last play
// number of the whole set, $7: how many plays the set has.
// Items 0..2,999 movies, 3,000..18,999 episodes of 400 shows, 19,000..19,999 tracks; popularity
// skewed to low item numbers (item = 20,000 · r²). Users 0..499, each on server (user % 3).
const SEED = `
  INSERT INTO "Play" ("id", "serverId", "serverName", "mediaUserId", "mediaUser", "itemKey", "title", "grandparentTitle", "mediaType",
    "startedAt", "stoppedAt", "lastSeenAt", "pausedS", "watchedS", "durationS", "progressPct", "completed", "decision", "player", "platform",
    "product", "ipAddress", "isLocal", "library", "source", "detail")
  SELECT md5(i::text || $3)::uuid::text, 'bench-' || (u % 3), 'Bench ' || (u % 3), 'u' || u, 'user' || u, 'item' || item,
    CASE WHEN item < 3000 THEN 'Movie ' || item WHEN item < 19000 THEN 'Episode ' || item ELSE 'Track ' || item END,
    CASE WHEN item >= 3000 AND item < 19000 THEN 'Show ' || (item % 400) WHEN item >= 19000 THEN 'Artist ' || (item % 100) END,
    CASE WHEN item < 3000 THEN 'movie' WHEN item < 19000 THEN 'episode' ELSE 'track' END,
    s, s + make_interval(secs => dur), s + make_interval(secs => dur), dur / 20, dur - dur / 20, dur + 300, 95.0 * dur / (dur + 300), (i % 10) < 6,
    (ARRAY['directplay','directstream','transcode'])[1 + (i * 7) % 3], 'Device ' || (u % 200), (ARRAY['Roku','Android','iOS','Chrome','tvOS','Windows','macOS','Linux'])[1 + i % 8],
    (ARRAY['Plex for Roku','Plex Web','Plex for Android','Jellyfin Web','Infuse','Emby Theater'])[1 + (i * 3) % 6], '10.0.0.' || (u % 250), u % 2 = 0,
    CASE WHEN item < 3000 THEN 'Movies' WHEN item < 19000 THEN 'TV Shows' ELSE 'Music' END, 'poll'::"PlaySource",
    jsonb_build_object('stream', jsonb_build_object('streamResolution', (ARRAY['1080','720','4k','480'])[1 + (i * 5) % 4], 'sourceResolution', (ARRAY['1080','4k'])[1 + i % 2]))
  FROM (
    SELECT i, (hashint4(i) & 2147483647) % 500 AS u,
      floor(20000 * power(((hashint4(i * 31 + 7) & 2147483647) % 1000000) / 1000000.0, 2))::int AS item,
      $2::timestamp - make_interval(secs => ($6::bigint - i)::float8 / $7::float8 * $4::float8 + (hashint4(i * 17 + 3) & 2147483647) % 600) AS s,
      300 + (hashint4(i * 13 + 1) & 2147483647) % 7200 AS dur
    FROM generate_series($1::int, $5::int) AS i
  ) g`;

try {
  const now = new Date();
  let t = performance.now();
  await client.query('ALTER TABLE "Play" DISABLE TRIGGER USER');
  for (let from = 1; from <= PLAYS; from += 1_000_000) {
    await client.query(SEED, [from, now.toISOString(), 'seed', 730 * 86_400, Math.min(PLAYS, from + 999_999), PLAYS, PLAYS]);
  }
  await client.query('ALTER TABLE "Play" ENABLE TRIGGER USER');
  await client.query('ANALYZE "Play"');
  console.log(`seeded ${PLAYS.toLocaleString()} plays over 730 days in ${secs(t)} (INSERT … SELECT generate_series)`);

  const { db } = await import('../lib/db');
  const { rebuildRollups, refreshRollups } = await import('../lib/analytics/rollups');
  const { GET } = await import('../app/api/analytics/route');
  t = performance.now();
  const built = await rebuildRollups();
  await client.query('ANALYZE "AnalyticsHour"; ANALYZE "AnalyticsDim"; ANALYZE "AnalyticsConcurrency"');
  const sizes = await client.query<{ t: string; n: string }>(`SELECT 'AnalyticsHour' AS t, count(*) AS n FROM "AnalyticsHour" UNION ALL SELECT 'AnalyticsDim', count(*) FROM "AnalyticsDim" UNION ALL SELECT 'AnalyticsConcurrency', count(*) FROM "AnalyticsConcurrency"`);
  console.log(`rollups built in ${secs(t)} (${built.hours} hours, ${built.days} days, ${built.months} months): ${sizes.rows.map((r) => `${r.t} ${Number(r.n).toLocaleString()} rows`).join(', ')}`);

  const token = async (role: 'admin' | 'viewer', mediaUsers: string[]) => {
    const user = await db.user.create({ data: { email: `${role}-${randomBytes(3).toString('hex')}@bench.test`, name: role, passwordHash: 'x', role, allowedMediaUsers: mediaUsers, timezone: 'America/New_York' } });
    const tok = `mq_${randomBytes(24).toString('base64url')}`;
    await db.apiToken.create({ data: { userId: user.id, name: 'bench', tokenHash: createHash('sha256').update(tok).digest('hex'), prefix: tok.slice(0, 10) } });
    return tok;
  };
  const tokens = { admin: await token('admin', []), viewer: await token('viewer', ['bench-1:u1']) };

  const call = async (tok: string, query: string) => {
    const start = performance.now();
    const res = await GET(new Request(`http://localhost:3000/api/analytics?${query}`, { headers: { authorization: `Bearer ${tok}` } }), { params: Promise.resolve({}) });
    const body = (await res.json()) as { summary?: { plays: number } };
    if (res.status !== 200) throw new Error(`${query} → ${res.status} ${JSON.stringify(body).slice(0, 300)}`);
    return { ms: performance.now() - start, plays: body.summary!.plays };
  };

  console.log(`\nGET /api/analytics (route handler) at ${PLAYS.toLocaleString()} plays, ${N} sequential requests per case after 3 warm-ups, limit=100, tz America/New_York:`);
  let worst = 0;
  for (const range of ['24h', '7d', '30d', '180d', '365d']) {
    for (const server of [null, 'bench-1']) {
      for (const who of ['admin', 'viewer'] as const) {
        const query = `range=${range}&limit=100${server ? `&serverId=${server}` : ''}`;
        let plays = 0;
        for (let i = 0; i < 3; i++) plays = (await call(tokens[who], query)).plays;
        const xs: number[] = [];
        for (let i = 0; i < N; i++) xs.push((await call(tokens[who], query)).ms);
        worst = Math.max(worst, pct(xs, 0.95));
        console.log(`  ${range.padEnd(5)} ${(server ? 'one server' : 'all servers').padEnd(12)} ${who.padEnd(7)} p50 ${pct(xs, 0.5).toFixed(1).padStart(7)} ms   p95 ${pct(xs, 0.95).toFixed(1).padStart(7)} ms   (${plays.toLocaleString()} plays)`);
      }
    }
  }
  console.log(`  worst p95 ${worst.toFixed(1)} ms (goal < 250 ms)`);

  // 1,000 new plays closed in the last day (as polls and webhooks close them), then one refresh.
  await client.query(SEED, [PLAYS + 1, new Date().toISOString(), 'fresh', 86_400, PLAYS + 1000, PLAYS + 1000, 1000]);
  const dirty = (await client.query<{ n: string }>('SELECT count(*) AS n FROM "AnalyticsDirtyHour"')).rows[0]!.n;
  const r = await refreshRollups();
  console.log(`\nrollup refresh after 1,000 new plays (${dirty} dirty hours): ${r.ms.toFixed(0)} ms (${r.hours} hours, ${r.days} days, ${r.months} months recomputed; goal < 2 s)`);
  await db.$disconnect();
} finally {
  await client.end().catch(() => {});
  await scratch.drop({ keep: KEEP });
  if (KEEP) console.log(`kept ${scratch.url}`);
}
