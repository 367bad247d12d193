// Polling through pg-boss with several workers: two real worker processes (workers/index.ts) share
// 10 fake Jellyfin servers (real HTTP) for 30 s. Each server's sessions endpoint must be hit once
// per interval: consecutive polls of a server at least one interval apart (never two in one
// interval) and less than two intervals apart (none skipped), both workers taking part. Then one
// worker is SIGKILLed and the survivor alone keeps polling all 10 at the same cadence.
import { spawn, type ChildProcess } from 'node:child_process';
import type { IncomingMessage } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, test } from 'vitest';

const INTERVAL_S = 3;
process.env.POLL_INTERVAL_S = String(INTERVAL_S); // the default interval of new servers
process.env.MEDIA_SERVER_TIMEOUT_MS = '1000'; // a poll's lease (job expiry) is 3 × this + 5 s = 8 s

const { db } = await import('@/lib/db');
const { systemActor } = await import('@/lib/auth/actor');
const { createServer, closeLiveBus } = await import('@/lib/servers');
const { FakeJellyfin } = await import('../fakes');
const { SERVER_POLL_LEASE_S } = await import('@/lib/jobs/definitions');

/** A fake Jellyfin that remembers when each sessions poll arrived. */
class TimedJellyfin extends FakeJellyfin {
  readonly polls: number[] = [];
  protected override handle(req: IncomingMessage, url: URL, body: string, authorized: boolean) {
    if (authorized && req.method === 'GET' && url.pathname === '/Sessions') this.polls.push(Date.now());
    return super.handle(req, url, body, authorized);
  }
}

const fakes: TimedJellyfin[] = [];
const workers: ChildProcess[] = [];
afterAll(async () => {
  for (const w of workers) if (w.exitCode === null && w.signalCode === null) w.kill('SIGKILL');
  await Promise.all(fakes.map((f) => f.close()));
  await closeLiveBus();
});

function startWorker(): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(process.cwd(), 'workers', 'index.ts')], {
    env: { ...process.env, LOG_LEVEL: 'info', NODE_ENV: 'test' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  workers.push(child);
  let err = '';
  child.stderr!.on('data', (d: Buffer) => { err += d.toString(); });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker did not start: ${err}`)), 90_000);
    child.stdout!.on('data', (d: Buffer) => {
      if (d.toString().includes('worker started')) { clearTimeout(timer); resolve(child); }
    });
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`worker exited (${code}): ${err}`)); });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Gaps (s) between consecutive polls of one fake inside [from, to]. */
function gapsOf(polls: number[], from: number, to: number): number[] {
  const inside = polls.filter((t) => t >= from && t <= to);
  return inside.slice(1).map((t, i) => (t - inside[i]!) / 1000);
}

/** The workers (host:pid) whose server-poll jobs polled in [from, to]. */
async function pollingWorkers(from: number, to: number): Promise<Map<string, number>> {
  const rows = await db.$queryRaw<{ worker: string; n: bigint }[]>`
    SELECT output->>'worker' AS worker, count(*) AS n FROM pgboss.job
    WHERE name = 'server-poll' AND state = 'completed' AND output->>'polled' = 'true'
      AND started_on BETWEEN ${new Date(from).toISOString()}::timestamptz AND ${new Date(to).toISOString()}::timestamptz
    GROUP BY 1`;
  return new Map(rows.map((r) => [r.worker, Number(r.n)]));
}

test('two workers poll 10 servers exactly once per interval; after one is killed the survivor polls all 10', { timeout: 240_000 }, async () => {
  for (let i = 0; i < 10; i++) {
    const fake = new TimedJellyfin();
    await fake.listen();
    fakes.push(fake);
    // No pollIntervalS given: the server gets POLL_INTERVAL_S.
    await createServer(systemActor('test'), { type: 'jellyfin', name: `Fake ${i}`, url: fake.url, token: fake.token });
  }
  expect(await db.mediaServer.count({ where: { pollIntervalS: INTERVAL_S } })).toBe(10);

  const [a, b] = await Promise.all([startWorker(), startWorker()]);
  const start = Date.now();
  await sleep(30_000);
  const killedAt = Date.now();
  b.kill('SIGKILL');

  // Both workers running: after a warm-up of one interval, every server is polled once per interval.
  const warm = start + INTERVAL_S * 1000;
  for (const fake of fakes) {
    const gaps = gapsOf(fake.polls, warm, killedAt);
    expect(gaps.length).toBeGreaterThanOrEqual(Math.floor(27 / (2 * INTERVAL_S)));
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(INTERVAL_S); // never two polls in one interval
    expect(Math.max(...gaps)).toBeLessThan(2 * INTERVAL_S); // never an interval skipped
    // The first poll after the warm-up came within an interval of it, the last within one of the kill.
    expect(fake.polls.find((t) => t >= warm)! - warm).toBeLessThan(2 * INTERVAL_S * 1000);
    expect(killedAt - fake.polls.filter((t) => t <= killedAt).at(-1)!).toBeLessThan(2 * INTERVAL_S * 1000);
  }
  const all = fakes.flatMap((f) => gapsOf(f.polls, warm, killedAt));
  console.info(`two workers: ${all.length + fakes.length} polls, gaps ${Math.min(...all).toFixed(2)}–${Math.max(...all).toFixed(2)} s at a ${INTERVAL_S} s interval`);
  // The servers were shared: both workers ran polls.
  const shared = await pollingWorkers(start, killedAt);
  expect([...shared.keys()].sort()).toEqual([`${os.hostname()}:${a.pid}`, `${os.hostname()}:${b.pid}`].sort());

  // The survivor alone. A poll the killed worker had in flight is retried once its job expires (the
  // lease) and the next maintenance (every 10 s) notices; past that, every server is on cadence.
  const recovered = killedAt + (SERVER_POLL_LEASE_S + 10 + INTERVAL_S) * 1000;
  const end = recovered + 4 * INTERVAL_S * 1000;
  await sleep(end - Date.now());
  expect(a.exitCode).toBeNull();
  for (const fake of fakes) {
    // No double poll at any time after the kill either.
    expect(Math.min(...gapsOf(fake.polls, killedAt, end))).toBeGreaterThanOrEqual(INTERVAL_S);
    const gaps = gapsOf(fake.polls, recovered, end);
    expect(gaps.length).toBeGreaterThanOrEqual(2);
    expect(Math.max(...gaps)).toBeLessThan(2 * INTERVAL_S);
    expect(end - fake.polls.at(-1)!).toBeLessThan(2 * INTERVAL_S * 1000);
  }
  const post = fakes.flatMap((f) => gapsOf(f.polls, killedAt - INTERVAL_S * 1000, end));
  const resumedLate = fakes.filter((f) => Math.max(...gapsOf(f.polls, killedAt - INTERVAL_S * 1000, end)) >= 2 * INTERVAL_S).length;
  console.info(`survivor: gaps ${Math.min(...post).toFixed(2)}–${Math.max(...post).toFixed(2)} s across the kill and after; ${resumedLate} server(s) (polled by the killed worker at that moment) waited for the lease`);
  const after = await pollingWorkers(killedAt + 1000, end);
  expect([...after.keys()]).toEqual([`${os.hostname()}:${a.pid}`]);
});
