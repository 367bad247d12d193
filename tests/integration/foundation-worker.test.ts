// The real worker process against this file's database: health turns ok when it runs, and a
// stopped worker reads `stale` within two heartbeat intervals.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterAll, expect, test } from 'vitest';

process.env.HEARTBEAT_INTERVAL_S = '1';
const { getHealth } = await import('../../lib/system/health');

let worker: ChildProcess | undefined;
afterAll(() => {
  worker?.kill('SIGKILL');
});

async function until<T>(fn: () => Promise<T>, ok: (v: T) => boolean, ms: number): Promise<T> {
  const end = Date.now() + ms;
  let v = await fn();
  while (!ok(v) && Date.now() < end) {
    await new Promise((r) => setTimeout(r, 100));
    v = await fn();
  }
  return v;
}

test('a running worker makes health ok; a killed one is stale within 2 heartbeat intervals', async () => {
  expect((await getHealth()).worker.status).toBe('down');
  worker = spawn(process.execPath, ['--import', 'tsx', path.join(process.cwd(), 'workers', 'index.ts')], {
    env: { ...process.env, HEARTBEAT_INTERVAL_S: '1', LOG_LEVEL: 'warn' },
    stdio: 'inherit',
  });
  const up = await until(getHealth, (h) => h.worker.status === 'ok', 45_000);
  expect(up.worker.status).toBe('ok');
  // Beats keep coming: a few intervals later it is still ok, with a newer heartbeat.
  await new Promise((r) => setTimeout(r, 2_500));
  const later = await getHealth();
  expect(later.worker.status).toBe('ok');
  expect(Date.parse(later.worker.lastHeartbeat!)).toBeGreaterThan(Date.parse(up.worker.lastHeartbeat!));

  const killedAt = Date.now();
  worker.kill('SIGKILL');
  const stale = await until(getHealth, (h) => h.worker.status === 'stale', 10_000);
  expect(stale.worker.status).toBe('stale');
  expect(Date.now() - killedAt).toBeLessThanOrEqual(2 * 1000 + 300); // 2 intervals (+ one poll of slack)
  expect(stale.status).toBe('degraded');
  expect(stale.failing).toEqual(['worker']);
});
