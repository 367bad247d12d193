// `npm run bench:jobs-poll [servers] [intervalS] [seconds] [workers]`: media-server polling through
// pg-boss with real worker processes (workers/index.ts) over N fake servers (20 sessions each).
// Reports how punctual the polls were (gap between consecutive polls of a server against its
// interval: a queue that backs up shows as gaps well past the interval), how many jobs ran, and the
// workers' CPU. Needs DATABASE_URL (a PostgreSQL where it may create and drop a scratch database).
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { createScratchDatabase, startPollFakes } from './lib/scratch';

const SERVERS = Number(process.argv[2] ?? 50);
const INTERVAL_S = Number(process.argv[3] ?? 10);
const SECONDS = Number(process.argv[4] ?? 60);
const WORKERS = Number(process.argv[5] ?? 1);

const scratch = await createScratchDatabase('marquee_bench_jobs');
const { fakes, stop: stopFakes } = await startPollFakes(SERVERS, 20);
const workers: ChildProcess[] = [];

const cleanup = async () => {
  for (const w of workers) w.kill('SIGKILL');
  stopFakes();
  const { db } = await import('../lib/db');
  await db.$disconnect().catch(() => {});
  await scratch.drop();
};

/** User + system CPU seconds of a process so far. */
function cpuSeconds(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))]!;

try {
  const { deployMigrations } = await import('../lib/database/migrate');
  await deployMigrations(scratch.url);
  const { db } = await import('../lib/db');
  const { encryptString } = await import('../lib/crypto/encryption');
  for (const [i, f] of fakes.entries()) {
    const id = `bench-${i}`;
    await db.mediaServer.create({ data: { id, type: f.type, name: `Fake ${f.type} ${i}`, url: f.url, tokenEnc: encryptString(f.token, undefined, `server:${id}`), health: 'ok', pollIntervalS: INTERVAL_S } });
  }
  for (let i = 0; i < WORKERS; i++) {
    const w = spawn(process.execPath, ['--import', 'tsx', 'workers/index.ts'], { env: { ...process.env, LOG_LEVEL: 'info', NODE_ENV: 'test' }, stdio: ['ignore', 'pipe', 'inherit'] });
    workers.push(w);
    await new Promise<void>((resolve) => w.stdout!.on('data', (d: Buffer) => d.toString().includes('worker started') && resolve()));
  }
  const cpu0 = workers.map((w) => cpuSeconds(w.pid!));
  const t0 = new Date();
  await new Promise((r) => setTimeout(r, SECONDS * 1000));
  const cpu = workers.reduce((n, w, i) => n + cpuSeconds(w.pid!) - cpu0[i]!, 0);

  const rows = await db.$queryRaw<{ key: string; started: Date; polled: boolean; pickup: number }[]>`
    SELECT singleton_key AS key, started_on AS started, (output->>'polled')::boolean AS polled,
      EXTRACT(EPOCH FROM started_on - start_after)::float8 AS pickup
    FROM pgboss.job WHERE name = 'server-poll' AND state = 'completed' AND started_on >= ${t0.toISOString()}::timestamptz
    ORDER BY started_on`;
  const byServer = new Map<string, number[]>();
  for (const r of rows.filter((r) => r.polled)) byServer.set(r.key, [...(byServer.get(r.key) ?? []), r.started.getTime()]);
  const gaps = [...byServer.values()].flatMap((ts) => ts.slice(1).map((t, i) => (t - ts[i]!) / 1000));
  const late = gaps.map((g) => g - INTERVAL_S);
  console.log(`${SERVERS} servers × 20 sessions, interval ${INTERVAL_S} s, ${WORKERS} worker(s), ${SECONDS} s:`);
  console.log(`  polls: ${gaps.length + byServer.size} (expected about ${Math.floor((SECONDS / INTERVAL_S) * SERVERS)}), servers polled: ${byServer.size}/${SERVERS}, jobs that found their server not due: ${rows.filter((r) => !r.polled).length}`);
  console.log(`  gap past the interval (s): median ${pct(late, 50).toFixed(2)}  p95 ${pct(late, 95).toFixed(2)}  max ${Math.max(...late).toFixed(2)}  min ${Math.min(...late).toFixed(2)}`);
  const pickup = rows.map((r) => r.pickup);
  console.log(`  job picked up after its start time (s): median ${pct(pickup, 50).toFixed(2)}  p95 ${pct(pickup, 95).toFixed(2)}  max ${Math.max(...pickup).toFixed(2)}`);
  console.log('  (a gap is the interval counted from the end of the previous poll, plus that poll\'s duration and the pickup)');
  console.log(`  worker CPU: ${cpu.toFixed(1)} s over ${SECONDS} s (${((cpu / SECONDS) * 100).toFixed(1)} % of a core)`);
} finally {
  await cleanup();
}
