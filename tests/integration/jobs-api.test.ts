// GET /api/jobs shows each job of the registry with its last run, state and next run, as pg-boss
// records them whichever worker ran the job; POST /api/jobs/{name}/run queues a run (audited).
import PgBoss from 'pg-boss';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { db } from '@/lib/db';
import { jobs, JOB_LIST } from '@/lib/jobs/definitions';
import { createJobRunner, type JobRunner } from '@/lib/jobs/runner';
import type { JobStatus } from '@/lib/jobs/status';
import { enqueueServerPoll } from '@/lib/jobs/server-poll-queue';
import { syncDirectories } from '@/workers/poll-servers';
import * as listRoute from '@/app/api/jobs/route';
import * as runRoute from '@/app/api/jobs/[name]/run/route';
import { authHeaders, createUser, req, type TestUser } from '../helpers/auth';

const NO_PARAMS = { params: Promise.resolve({}) };
let admin: TestUser;
let worker: PgBoss;
let runner: JobRunner;

beforeAll(async () => {
  admin = await createUser({ role: 'admin' });
  worker = new PgBoss({ connectionString: process.env.DATABASE_URL!, max: 3 } as PgBoss.ConstructorOptions);
  worker.on('error', () => {});
  await worker.start();
  runner = createJobRunner(worker);
});
afterAll(async () => {
  await runner.stop();
  await worker.stop({ graceful: false, wait: true });
});

async function listJobs(): Promise<Map<string, JobStatus>> {
  const res = await listRoute.GET(req('/api/jobs', { headers: await authHeaders(admin) }), NO_PARAMS);
  expect(res.status).toBe(200);
  const body = (await res.json()) as { jobs: JobStatus[] };
  return new Map(body.jobs.map((j) => [j.name, j]));
}

const runNow = async (name: string, user = admin) =>
  runRoute.POST(req(`/api/jobs/${name}/run`, { method: 'POST', headers: await authHeaders(user) }), { params: Promise.resolve({ name }) });

async function until<T>(fn: () => Promise<T>, ok: (v: T) => boolean, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (ok(v) || Date.now() > end) return v;
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('GET /api/jobs', () => {
  test('lists every job of the registry; nothing has run yet; recurring jobs show their next cron time', async () => {
    const before = Date.now();
    const list = await listJobs();
    expect([...list.keys()].sort()).toEqual(JOB_LIST.map((j) => j.name).sort());
    for (const j of list.values()) {
      expect(j.state).toBe('never run');
      expect(j.lastRun).toBeNull();
    }
    // Every minute: the next whole minute. Every ten minutes: the next multiple of ten.
    const reconcile = Date.parse(list.get('server-poll-reconcile')!.nextRunAt!);
    expect(reconcile).toBeGreaterThan(before);
    expect(reconcile - before).toBeLessThanOrEqual(60_000);
    expect(reconcile % 60_000).toBe(0);
    const sync = Date.parse(list.get('server-directory-sync')!.nextRunAt!);
    expect(sync - before).toBeLessThanOrEqual(600_000);
    expect(sync % 600_000).toBe(0);
    // Jobs queued by the app only have no next run until one is queued.
    expect(list.get('video-transcode')!.nextRunAt).toBeNull();
    expect(list.get('server-poll')!.runnable).toBe(false);
    expect(list.get('server-directory-sync')!.runnable).toBe(true);
  });

  test('a queued per-server poll is the next run of server-poll', async () => {
    const at = new Date(Date.now() + 45_000);
    await enqueueServerPoll('some-server', at);
    const poll = (await listJobs()).get('server-poll')!;
    expect(Math.abs(Date.parse(poll.nextRunAt!) - at.getTime())).toBeLessThan(1500);
    expect(poll.counts).toEqual({ queued: 1, active: 0, failedLastDay: 0 });
  });

  test('"run now" queues a run (audited) that a worker runs; the list then shows its last run and result', async () => {
    const res = await runNow('server-directory-sync');
    expect(res.status).toBe(202);
    const { jobId } = (await res.json()) as { jobId: string };
    const audit = await db.auditLog.findFirst({ where: { action: 'job.run', targetId: 'server-directory-sync', actorId: admin.id } });
    expect(audit?.detail).toEqual({ jobId });
    const queued = (await listJobs()).get('server-directory-sync')!;
    expect(queued.counts.queued).toBe(1);
    expect(Date.parse(queued.nextRunAt!)).toBeLessThanOrEqual(Date.now() + 1000); // due now

    await runner.register(jobs.serverDirectorySync, syncDirectories);
    const done = (await until(listJobs, (l) => l.get('server-directory-sync')!.lastRun?.state === 'completed')).get('server-directory-sync')!;
    expect(done.state).toBe('ok');
    expect(done.lastRun).toMatchObject({ id: jobId, state: 'completed', output: { servers: 0, failed: 0 } });
    expect(Date.parse(done.lastRun!.completedAt!)).toBeGreaterThanOrEqual(Date.parse(done.lastRun!.startedAt!));
    expect(done.counts.queued).toBe(0);
  });

  test('a running job shows as running; a failed one as failing, with its error', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => { release = r; });
    await runner.register(jobs.videoTranscodeSweep, async () => {
      await gate;
      throw new Error('sweep exploded');
    });
    expect((await runNow('video-transcode-sweep')).status).toBe(202);
    const running = (await until(listJobs, (l) => l.get('video-transcode-sweep')!.state === 'running')).get('video-transcode-sweep')!;
    expect(running.state).toBe('running');
    expect(running.counts.active).toBe(1);
    release();
    const failed = (await until(listJobs, (l) => l.get('video-transcode-sweep')!.state === 'failing')).get('video-transcode-sweep')!;
    expect(failed.lastRun!.state).toBe('failed');
    expect(JSON.stringify(failed.lastRun!.output)).toContain('sweep exploded');
    expect(failed.counts.failedLastDay).toBe(1);
  });

  test('run now: a per-row job is refused with 409, an unknown job is 404, a non-admin is 403', async () => {
    const poll = await runNow('server-poll');
    expect(poll.status).toBe(409);
    expect(((await poll.json()) as { error: { code: string } }).error.code).toBe('conflict');
    expect((await runNow('no-such-job')).status).toBe(404);
    const staff = await createUser({ role: 'staff' });
    expect((await runNow('server-directory-sync', staff)).status).toBe(403);
    expect((await listRoute.GET(req('/api/jobs', { headers: await authHeaders(staff) }), NO_PARAMS)).status).toBe(403);
  });
});
