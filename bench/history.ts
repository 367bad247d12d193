// `npm run bench:history [plays] [requests]`: p95 latency of GET /api/history through the real web
// server (production build) at 1M plays: the first page and a deep cursor page (half-way), unfiltered
// and filtered to one media user over the last 30 days. Goal < 100 ms.
import { setUpHistoryBench } from './history-setup';

const PLAYS = Number(process.argv[2] ?? 1_000_000);
const N = Number(process.argv[3] ?? 40);
const world = await setUpHistoryBench(PLAYS);

const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.ceil(xs.length * 0.95) - 1]!;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function time(path: string): Promise<number> {
  const t = performance.now();
  const res = await fetch(world.web.url + path, { headers: { authorization: `Bearer ${world.token}` } });
  const body = (await res.json()) as { plays?: unknown[] };
  if (res.status !== 200 || !body.plays?.length) throw new Error(`${path} → ${res.status} ${JSON.stringify(body).slice(0, 200)}`);
  return performance.now() - t;
}

/** The nextCursor that starts a page after `offset` rows of this query, from the database. */
async function cursorAt(where: string, params: unknown[], offset: number): Promise<string> {
  const r = await world.pg.query<{ t: Date; id: string }>(`SELECT p."startedAt" AS t, p."id" FROM "Play" p WHERE ${where} ORDER BY p."startedAt" DESC, p."id" DESC OFFSET $${params.length + 1} LIMIT 1`, [...params, offset]);
  const row = r.rows[0]!;
  // "timestamp without time zone" read as local time by node-postgres: rebuild the UTC instant.
  const ms = Date.UTC(row.t.getFullYear(), row.t.getMonth(), row.t.getDate(), row.t.getHours(), row.t.getMinutes(), row.t.getSeconds(), row.t.getMilliseconds());
  return `${ms}_${row.id}`;
}

try {
  const from = new Date(Date.now() - 30 * 86_400_000).toISOString();
  const userFilter = `mediaUser=user7&from=${encodeURIComponent(from)}`;
  const userCount = Number((await world.pg.query(`SELECT count(*) FROM "Play" p WHERE p."mediaUser" = 'user7' AND p."startedAt" >= $1::timestamp`, [from])).rows[0].count);
  const cases: [string, string][] = [
    ['unfiltered, first page', '/api/history?limit=50'],
    ['unfiltered, deep page (row ' + Math.floor(PLAYS / 2).toLocaleString() + ')', `/api/history?limit=50&cursor=${await cursorAt('TRUE', [], Math.floor(PLAYS / 2))}`],
    ['user + 30 days, first page', `/api/history?limit=50&${userFilter}`],
    [`user + 30 days, deep page (row ${Math.floor(userCount / 2)})`, `/api/history?limit=50&${userFilter}&cursor=${await cursorAt(`p."mediaUser" = 'user7' AND p."startedAt" >= $1::timestamp`, [from], Math.floor(userCount / 2))}`],
  ];
  console.log(`GET /api/history at ${PLAYS.toLocaleString()} plays, ${N} sequential requests per case (after 5 warm-up):`);
  for (const [label, path] of cases) {
    for (let i = 0; i < 5; i++) await time(path);
    const xs: number[] = [];
    for (let i = 0; i < N; i++) xs.push(await time(path));
    console.log(`  ${label.padEnd(44)} p95 ${p95(xs).toFixed(1).padStart(7)} ms   median ${median(xs).toFixed(1).padStart(7)} ms   (goal p95 < 100 ms)`);
  }
} finally {
  await world.cleanup();
}
