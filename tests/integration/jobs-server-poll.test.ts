// The server-poll job chain, driven directly (no worker process): a job polls only a due server and
// queues the next poll at the time the poller chose (interval, or backoff); concurrent jobs of one
// server poll it once; a disabled server's chain ends; the reconcile restarts missing chains only.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { db } from '@/lib/db';
import { systemActor } from '@/lib/auth/actor';
import { closeLiveBus, createServer, setServerEnabled, updateServer } from '@/lib/servers';
import { getBoss } from '@/lib/jobs/boss';
import { jobs } from '@/lib/jobs/definitions';
import { reconcileServerPolls, runServerPoll } from '@/lib/jobs/server-poll';
import { enqueueServerPoll } from '@/lib/jobs/server-poll-queue';
import { FakeJellyfin } from '../fakes';

const fake = new FakeJellyfin();
let serverId: string;
const sessionPolls = () => fake.requests.filter((r) => r.path === '/Sessions').length;

/** The server-poll jobs of this server that are waiting or running. */
async function pendingJobs(id = serverId) {
  return db.$queryRaw<{ state: string; start_after: Date }[]>`
    SELECT state::text AS state, start_after FROM pgboss.job
    WHERE name = 'server-poll' AND singleton_key = ${id} AND state IN ('created', 'retry', 'active') ORDER BY created_on`;
}
const makeDue = (id = serverId) => db.mediaServer.update({ where: { id }, data: { nextPollAt: new Date(Date.now() - 1000) } });
const clearQueue = () => db.$executeRaw`DELETE FROM pgboss.job WHERE name = 'server-poll'`;

beforeAll(async () => {
  await fake.listen();
  serverId = (await createServer(systemActor('test'), { type: 'jellyfin', name: 'Chain', url: fake.url, token: fake.token, pollIntervalS: 5 })).id;
  await getBoss();
  // These tests drive the chain by hand: no job of a worker would run the first poll creating queued.
  await clearQueue();
});
afterAll(async () => {
  await fake.close();
  await closeLiveBus();
});

describe('server-poll job', () => {
  test('polls a due server and queues exactly one next poll at its interval', async () => {
    const before = sessionPolls();
    const t0 = Date.now();
    const out = await runServerPoll({ serverId });
    expect(out).toMatchObject({ serverId, polled: true, ok: true });
    expect(sessionPolls()).toBe(before + 1);
    const { nextPollAt } = await db.mediaServer.findUniqueOrThrow({ where: { id: serverId } });
    // The server's own interval (5 s), not the default.
    expect(nextPollAt!.getTime() - t0).toBeGreaterThanOrEqual(5000);
    expect(nextPollAt!.getTime() - Date.now()).toBeLessThanOrEqual(5000);
    const queued = await pendingJobs();
    expect(queued).toHaveLength(1);
    expect(queued[0]!.state).toBe('created');
    expect(Math.abs(queued[0]!.start_after.getTime() - nextPollAt!.getTime())).toBeLessThan(1000);
    expect(out.next).toBe(nextPollAt!.toISOString());
  });

  test('a job that finds its server not due does not poll, and keeps one poll queued', async () => {
    const before = sessionPolls();
    const out = await runServerPoll({ serverId });
    expect(out).toMatchObject({ polled: false, reason: 'not due' });
    expect(sessionPolls()).toBe(before);
    expect(await pendingJobs()).toHaveLength(1);
  });

  test('five jobs of one due server running at once poll it once', async () => {
    await makeDue();
    const before = sessionPolls();
    const outs = await Promise.all(Array.from({ length: 5 }, () => runServerPoll({ serverId })));
    expect(outs.filter((o) => o.polled)).toHaveLength(1);
    expect(sessionPolls()).toBe(before + 1);
    expect(await pendingJobs()).toHaveLength(1);
  });

  test('an unreachable server is polled again later each failure (backoff), never stalling the chain', async () => {
    fake.setOffline(true);
    try {
      const delays: number[] = [];
      for (let i = 0; i < 2; i++) {
        await clearQueue();
        await makeDue();
        const t0 = Date.now();
        const out = await runServerPoll({ serverId });
        expect(out).toMatchObject({ polled: true, ok: false });
        const [job] = await pendingJobs();
        expect(job!.state).toBe('created');
        delays.push(job!.start_after.getTime() - t0);
      }
      expect(delays[0]).toBeGreaterThanOrEqual(4000);
      expect(delays[1]).toBeGreaterThan(delays[0]! + 3000);
    } finally {
      fake.setOffline(false);
    }
  });

  test("a disabled server's chain ends; re-enabled, the reconcile restarts it, once", async () => {
    await setServerEnabled(serverId, false);
    await makeDue();
    await clearQueue();
    const before = sessionPolls();
    expect(await runServerPoll({ serverId })).toMatchObject({ polled: false, reason: 'disabled or deleted' });
    expect(sessionPolls()).toBe(before);
    expect(await pendingJobs()).toHaveLength(0);
    expect(await reconcileServerPolls()).toEqual([]);

    await setServerEnabled(serverId, true);
    expect(await reconcileServerPolls()).toEqual([serverId]);
    expect(await reconcileServerPolls()).toEqual([]);
    const [job] = await pendingJobs();
    expect(job!.start_after.getTime()).toBeLessThanOrEqual(Date.now()); // it was due: queued for now
  });

  test('the reconcile leaves alone a server whose poll is running', async () => {
    const boss = await getBoss();
    const [job] = await boss.fetch(jobs.serverPoll.name);
    expect(job!.data).toEqual({ serverId });
    expect((await pendingJobs()).map((j) => j.state)).toEqual(['active']);
    expect(await reconcileServerPolls()).toEqual([]);
    await boss.complete(jobs.serverPoll.name, job!.id);
    // The running job finished without queuing a successor (its worker died, say): the reconcile does.
    expect(await reconcileServerPolls()).toEqual([serverId]);
  });

  test('a job that finds its server mid-poll by another job leaves the next poll to that job', async () => {
    await clearQueue();
    await enqueueServerPoll(serverId);
    const boss = await getBoss();
    const [running] = await boss.fetch(jobs.serverPoll.name); // another worker's job, polling now
    // ...whose claim pushed nextPollAt to the end of its lease.
    await db.mediaServer.update({ where: { id: serverId }, data: { nextPollAt: new Date(Date.now() + 20_000) } });
    const out = await runServerPoll({ serverId }, { job: { id: randomUUID() } });
    expect(out).toMatchObject({ polled: false, reason: 'not due' });
    // Nothing queued at the lease's end: the running job queues the next poll when its poll is done.
    expect((await pendingJobs()).map((j) => j.state)).toEqual(['active']);
    await boss.complete(jobs.serverPoll.name, running!.id);
    // With no poll running, a not-due job does keep the chain going.
    await runServerPoll({ serverId }, { job: { id: randomUUID() } });
    expect((await pendingJobs()).map((j) => j.state)).toEqual(['created']);
  });
});

describe('a server just added or enabled', () => {
  test('has its first poll queued at once, not at the next minute\'s reconcile', async () => {
    const actor = systemActor('test');
    const t0 = Date.now();
    const { id } = await createServer(actor, { type: 'jellyfin', name: 'Fresh', url: fake.url, token: fake.token, pollIntervalS: 5 });
    const [first] = await pendingJobs(id);
    expect(first?.state).toBe('created');
    expect(first!.start_after.getTime()).toBeLessThanOrEqual(Date.now() + 1000);
    expect(first!.start_after.getTime()).toBeGreaterThanOrEqual(t0 - 1000);

    await updateServer(actor, id, { enabled: false });
    await db.$executeRaw`DELETE FROM pgboss.job WHERE name = 'server-poll' AND singleton_key = ${id}`;
    await updateServer(actor, id, { enabled: true });
    expect((await pendingJobs(id)).map((j) => j.state)).toEqual(['created']);
  });
});
