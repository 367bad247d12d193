// `npm run bench:poll [servers] [sessions] [cycles] [moving]`: wall time and CPU of one Marquee poll cycle
// over 50 fake servers × 20 sessions (fetch + parse + snapshot + samples + rules), next to the bare
// HTTP fetches of the same endpoints; the ratio is Marquee's overhead. It also counts the SQL
// statements a cycle sends (every query through node-postgres, BEGIN/COMMIT included). By default
// nothing changes between cycles (the steady state); with `moving` every session's progress
// advances, as on a real server, so each cycle rewrites every session. Needs
// DATABASE_URL (a PostgreSQL where it may create and drop a scratch database).
import pg from 'pg';
import { createScratchDatabase, startPollFakes } from './lib/scratch';

const SERVERS = Number(process.argv[2] ?? 50);
const SESSIONS = Number(process.argv[3] ?? 20);
const CYCLES = Number(process.argv[4] ?? 7);
const MOVING = process.argv[5] === 'moving';

// Prisma's pg adapter and this script share the one node-postgres: count what reaches its clients.
let statements = 0;
const clientQuery = pg.Client.prototype.query;
pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
  statements += 1;
  return (clientQuery as (...a: unknown[]) => unknown).apply(this, args);
} as typeof clientQuery;

const scratch = await createScratchDatabase('marquee_bench');
const { fakes, stop: stopFakes } = await startPollFakes(SERVERS, SESSIONS, MOVING ? 'moving' : 'still');

const cleanup = async () => {
  stopFakes();
  const { db } = await import('../lib/db');
  await db.$disconnect().catch(() => {});
  await scratch.drop();
};

try {
  const { deployMigrations } = await import('../lib/database/migrate');
  await deployMigrations(scratch.url);
  const { db } = await import('../lib/db');
  const { encryptString } = await import('../lib/crypto/encryption');
  const { pollAllServers } = await import('../lib/servers');
  for (const [i, f] of fakes.entries()) {
    const id = `bench-${i}`;
    await db.mediaServer.create({ data: { id, type: f.type, name: `Fake ${f.type} ${i}`, url: f.url, tokenEnc: encryptString(f.token, undefined, `server:${id}`), health: 'ok' } });
  }
  await db.serverRule.create({ data: { kind: 'stream_limit', name: 'bench limit', maxStreams: 1000 } });

  const endpoint = (f: (typeof fakes)[number]) =>
    f.type === 'plex'
      ? fetch(`${f.url}/status/sessions`, { headers: { 'X-Plex-Token': f.token, Accept: 'application/xml' } })
      : fetch(`${f.url}/Sessions?ActiveWithinSeconds=960`, { headers: f.type === 'emby' ? { 'X-Emby-Token': f.token } : { Authorization: `MediaBrowser Token="${f.token}"` } });

  async function measure(fn: () => Promise<unknown>) {
    const cpu = process.cpuUsage();
    const t = performance.now();
    await fn();
    const wall = performance.now() - t;
    const used = process.cpuUsage(cpu);
    return { wall, cpu: (used.user + used.system) / 1000 };
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

  // Warm-up: connections, JIT, Prisma's first queries, the first snapshot inserts.
  await Promise.all(fakes.map(async (f) => (await endpoint(f)).text()));
  const first = await pollAllServers({ force: true });
  const okCount = first.filter((r) => r.ok).length;
  const sessionCount = first.reduce((n, r) => n + r.sessions, 0);

  const bare: { wall: number; cpu: number }[] = [];
  const poll: { wall: number; cpu: number }[] = [];
  const perCycle: number[] = [];
  for (let c = 0; c < CYCLES; c++) {
    bare.push(await measure(() => Promise.all(fakes.map(async (f) => (await endpoint(f)).text()))));
    const before = statements;
    poll.push(await measure(() => pollAllServers({ force: true })));
    perCycle.push(statements - before);
  }
  const b = { wall: median(bare.map((x) => x.wall)), cpu: median(bare.map((x) => x.cpu)) };
  const p = { wall: median(poll.map((x) => x.wall)), cpu: median(poll.map((x) => x.cpu)) };
  console.log(`poll cycle over ${SERVERS} fake servers × ${SESSIONS} sessions (${okCount} ok, ${sessionCount} sessions), median of ${CYCLES}:`);
  console.log(`  bare HTTP fetches : wall ${b.wall.toFixed(1)} ms   cpu ${b.cpu.toFixed(1)} ms`);
  console.log(`  Marquee poll      : wall ${p.wall.toFixed(1)} ms   cpu ${p.cpu.toFixed(1)} ms   (parse + snapshot + samples + rules + notify)`);
  console.log(`  overhead ratio    : wall ×${(p.wall / b.wall).toFixed(2)}   cpu ×${(p.cpu / b.cpu).toFixed(2)}`);
  console.log(`  SQL statements    : ${median(perCycle)} per cycle = ${(median(perCycle) / SERVERS).toFixed(2)} per server (${MOVING ? 'every session moved since the last cycle' : 'steady state: nothing changed since the last cycle'})`);
  console.log(`  cycles (ms)       : bare ${bare.map((x) => x.wall.toFixed(0)).join(' ')} | poll ${poll.map((x) => x.wall.toFixed(0)).join(' ')}`);
  console.log('  (DB time counts in wall but not in this process\'s CPU.)');
} finally {
  await cleanup();
}
