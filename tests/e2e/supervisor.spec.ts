// `npm start` as a supervisor, on a Marquee of its own (embedded PostgreSQL): a worker or database
// killed with SIGKILL (what the OOM killer does to a big transcode) is restarted while the web server
// stays up, and /api/health is ok again within 60 s without anyone stepping in (a killed web server
// is restarted too); a process that keeps dying is given up on loudly, and then everything stops.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test, expect } from '@playwright/test';
import { descendants, isAlive, startMarquee, waitForHealthy } from './helpers';

const port = Number(process.env.E2E_PORT ?? 3100) + 8;
const base = `http://127.0.0.1:${port}`;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'marquee-e2e-supervisor-'));
const env = { PORT: String(port), DATA_DIR: dataDir, EMBEDDED_PG_PORT: String(port + 50_000), HEARTBEAT_INTERVAL_S: '2', LOG_LEVEL: 'warn', REBUILD_ON_CHANGE: 'false' };

test.describe.configure({ mode: 'serial' });
test.afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

function cmdline(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return '';
  }
}
const childOf = (launcher: number, script: string) => descendants(launcher).find((p) => isAlive(p) && cmdline(p).includes(script));
const postmasterPid = () => Number(fs.readFileSync(path.join(dataDir, 'db', 'postmaster.pid'), 'utf8').split('\n')[0]);

async function health(): Promise<{ status: number; body: Record<string, unknown> | null }> {
  try {
    const res = await fetch(`${base}/api/health`, { signal: AbortSignal.timeout(2_000) });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  } catch {
    return { status: 0, body: null };
  }
}

async function stopAll(m: ReturnType<typeof startMarquee>) {
  const pids = [m.proc.pid!, ...descendants(m.proc.pid!)];
  if (isAlive(m.proc.pid!)) process.kill(m.proc.pid!, 'SIGTERM');
  await expect.poll(() => pids.filter(isAlive), { timeout: 30_000, intervals: [250] }).toEqual([]);
}

test('kill -9 of the worker, then of the embedded PostgreSQL: both come back, the web server stays up, health is ok within 60 s', async () => {
  test.setTimeout(420_000);
  const m = startMarquee(env);
  try {
    await waitForHealthy(base);
    const launcher = m.proc.pid!;
    const web = childOf(launcher, 'scripts/web-server.ts')!;
    const worker = childOf(launcher, 'workers/index.ts')!;
    expect(web).toBeTruthy();
    expect(worker).toBeTruthy();

    // The worker, as the OOM killer would.
    process.kill(worker, 'SIGKILL');
    const killedWorkerAt = Date.now();
    await expect.poll(() => m.output(), { timeout: 10_000 }).toMatch(/worker exited \(SIGKILL\); restarting it/);
    await expect.poll(() => childOf(launcher, 'workers/index.ts') ?? 0, { timeout: 60_000 }).not.toBe(0);
    expect(childOf(launcher, 'workers/index.ts')).not.toBe(worker);
    await waitForHealthy(base, 60_000);
    const workerBackMs = Date.now() - killedWorkerAt;
    expect(workerBackMs).toBeLessThan(60_000);
    expect(isAlive(launcher)).toBe(true);
    expect(childOf(launcher, 'scripts/web-server.ts')).toBe(web);

    // The embedded database.
    const postmaster = postmasterPid();
    const logBefore = m.output().length;
    process.kill(postmaster, 'SIGKILL');
    const killedDbAt = Date.now();
    // Meanwhile the web server answers, and health names what is down.
    let sawDown = false;
    while (Date.now() - killedDbAt < 60_000) {
      const h = await health();
      if (h.status === 503) {
        expect(h.body).toMatchObject({ db: 'down', failing: ['db'] });
        expect(JSON.stringify(h.body)).not.toMatch(/ECONNREFUSED|password|127\.0\.0\.1/);
        sawDown = true;
      }
      if (h.status === 200 && (h.body as { worker?: { status?: string } }).worker?.status === 'ok' && Date.now() - killedDbAt > 1_000) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    const dbBackMs = Date.now() - killedDbAt;
    await waitForHealthy(base, 5_000);
    expect(dbBackMs).toBeLessThan(60_000);
    expect(m.output()).toMatch(/embedded PostgreSQL exited \(SIGKILL\); restarting it/);
    expect(postmasterPid()).not.toBe(postmaster);
    expect(isAlive(postmasterPid())).toBe(true);
    expect(childOf(launcher, 'scripts/web-server.ts')).toBe(web);
    console.log(`worker healthy again after ${workerBackMs} ms; database after ${dbBackMs} ms (saw 503 db down meanwhile: ${sawDown})`);

    // The outage did not flood the log: a repeating error (same message, same error text) is written
    // once, then summarised per minute (lib/logger.ts); the worker used to log one stack per tick.
    const outage = m.output().slice(logBefore).split('\n').filter((l) => /"level":"(error|warn)"/.test(l));
    const perError = new Map<string, number>();
    for (const l of outage) {
      let key = l;
      try {
        const j = JSON.parse(l.slice(l.indexOf('{'))) as { msg?: string; error?: string };
        key = `${j.msg} / ${String(j.error ?? '').replace(/\d+/g, '#')}`;
      } catch {
        /* not a JSON line: counted as itself */
      }
      perError.set(key, (perError.get(key) ?? 0) + 1);
    }
    for (const [key, n] of perError) expect(n, `${key} logged ${n} times during a ${dbBackMs} ms outage:\n${outage.join('\n')}`).toBeLessThanOrEqual(2);
    expect(outage.length, outage.join('\n')).toBeLessThanOrEqual(20);

    // The web server itself is restarted too.
    process.kill(web, 'SIGKILL');
    await expect.poll(() => m.output(), { timeout: 10_000 }).toMatch(/web exited \(SIGKILL\); restarting it/);
    await expect.poll(async () => (await health()).status, { timeout: 60_000, intervals: [250] }).toBe(200);
    expect(childOf(launcher, 'scripts/web-server.ts')).not.toBe(web);
    expect(isAlive(launcher)).toBe(true);
  } finally {
    await stopAll(m);
  }
});

test('a worker that dies 5 times within 10 minutes is given up on loudly, and everything stops', async () => {
  test.setTimeout(300_000);
  const m = startMarquee(env);
  const exited = new Promise<number | null>((resolve) => m.proc.on('exit', (code) => resolve(code)));
  try {
    await waitForHealthy(base);
    const launcher = m.proc.pid!;
    const all = () => [launcher, ...descendants(launcher)];
    const started = all();
    let last = 0;
    for (let i = 1; i <= 5; i++) {
      const next = () => {
        const w = childOf(launcher, 'workers/index.ts');
        return w && w !== last ? w : 0;
      };
      await expect.poll(next, { timeout: 60_000 }).not.toBe(0);
      const w = next();
      last = w;
      process.kill(w, 'SIGKILL');
      if (i < 5) await expect.poll(() => m.output(), { timeout: 10_000 }).toContain(`failure ${i} of 5`);
    }
    expect(await exited).toBe(1);
    expect(m.output()).toMatch(/ERROR: worker exited \(SIGKILL\), its 5th failure within 10 minutes; giving up/);
    await expect.poll(() => started.filter(isAlive), { timeout: 30_000 }).toEqual([]);
    expect(fs.existsSync(path.join(dataDir, 'db', 'postmaster.pid'))).toBe(false);
  } finally {
    await stopAll(m);
  }
});
