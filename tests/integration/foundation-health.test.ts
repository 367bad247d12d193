import { afterAll, expect, test } from 'vitest';
import { GET } from '../../app/api/health/route';
import { db } from '../../lib/db';
import { recordHeartbeat, heartbeatPayload, heartbeatJob } from '../../lib/system/heartbeat';
import { getBoss, stopBoss } from '../../lib/jobs/boss';
import { getHealth } from '../../lib/system/health';

afterAll(() => stopBoss());

test('GET /api/health → 200 with db ok and worker down before any heartbeat', async () => {
  const res = await GET();
  expect(res.status).toBe(200);
  const body = await res.json();
  expect(body).toMatchObject({ db: 'ok', worker: { status: 'down', lastHeartbeat: null }, status: 'degraded' });
  expect(body.version).toMatch(/^\d+\.\d+\.\d+/);
});

test('GET /api/health → worker ok after a heartbeat, stale once it is older than 1.6 intervals', async () => {
  const beatAt = new Date();
  await recordHeartbeat(heartbeatPayload('w-test', beatAt), beatAt);
  const res = await GET();
  const body = await res.json();
  expect(body.status).toBe('ok');
  expect(body.worker).toMatchObject({ status: 'ok', lastHeartbeat: beatAt.toISOString(), workers: 1 });

  // HEARTBEAT_INTERVAL_S defaults to 10: 17 s later the worker is stale, 11 minutes later down.
  expect((await getHealth(new Date(beatAt.getTime() + 17_000))).worker.status).toBe('stale');
  expect((await getHealth(new Date(beatAt.getTime() + 15_000))).worker.status).toBe('ok');
  expect((await getHealth(new Date(beatAt.getTime() + 11 * 60_000))).worker.status).toBe('down');
});

test('heartbeat job round-trips through pg-boss and records the sender', async () => {
  const boss = await getBoss();
  const startedAt = new Date();
  const received: string[] = [];
  await heartbeatJob.work(boss, async (data) => {
    received.push(data.workerId);
    await recordHeartbeat(data);
  }, { pollingIntervalSeconds: 0.5 });
  await heartbeatJob.enqueue(heartbeatPayload('w-queue', startedAt));
  for (let i = 0; i < 40 && !received.includes('w-queue'); i++) await new Promise((r) => setTimeout(r, 250));
  expect(received).toContain('w-queue');
  const row = await db.workerHeartbeat.findUnique({ where: { workerId: 'w-queue' } });
  expect(row?.startedAt.toISOString()).toBe(startedAt.toISOString());
});
