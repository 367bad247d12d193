// The poll cycle writes only what changed since the last snapshot, and never diffs against its
// in-memory copy of a snapshot that another writer (a termination in the web process, a disable,
// another worker) changed meanwhile: against the fakes over real HTTP, on a real PostgreSQL.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { db } from '@/lib/db';
import { encryptString } from '@/lib/crypto/encryption';
import { closeLiveBus, pollAllServers, pollServer, setServerEnabled } from '@/lib/servers';
import { FakeJellyfin, FakePlex } from '@/tests/fakes';

const jellyfin = new FakeJellyfin();
const plex = new FakePlex();
const ids = { jellyfin: 'cycle-jellyfin', plex: 'cycle-plex' };
const t0 = Date.now();
const at = (s: number) => new Date(t0 + s * 1000);

async function addServer(id: string, fake: FakeJellyfin | FakePlex) {
  await db.mediaServer.create({ data: { id, type: fake.type, name: id, url: fake.url, tokenEnc: encryptString(fake.token, undefined, `server:${id}`), pollIntervalS: 10, health: 'ok' } });
}
const live = (serverId: string) => db.liveSession.findMany({ where: { serverId }, orderBy: { sessionKey: 'asc' } });
const events = (serverId: string) => db.playbackEvent.findMany({ where: { serverId }, orderBy: { id: 'asc' } });

beforeAll(async () => {
  await jellyfin.listen();
  await plex.listen();
  await addServer(ids.jellyfin, jellyfin);
  await addServer(ids.plex, plex);
});
afterAll(async () => {
  await closeLiveBus();
  await jellyfin.close();
  await plex.close();
});

describe('a steady cycle writes close to nothing', () => {
  test('unchanged sessions are not rewritten and make no event; the sample and the next poll time still are', async () => {
    for (const fake of [jellyfin, plex]) for (const user of ['ann', 'ben', 'cy']) fake.startSession({ user, title: `${user}'s show` });
    await pollAllServers({ force: true, now: at(0) });
    const rows = await live(ids.plex);
    expect(rows).toHaveLength(3);
    const eventCount = (await events(ids.plex)).length;
    expect(eventCount).toBe(3);

    await pollAllServers({ force: true, now: at(10) });
    expect(await live(ids.plex)).toEqual(rows);
    expect(await events(ids.plex)).toHaveLength(eventCount);
    const samples = await db.bandwidthSample.findMany({ where: { serverId: ids.plex }, orderBy: { at: 'asc' } });
    expect(samples.map((s) => s.at)).toEqual([at(0), at(10)]);
    expect(samples[1]).toMatchObject({ streams: 3, totalKbps: 3 * 8000 });
    const server = await db.mediaServer.findUniqueOrThrow({ where: { id: ids.plex } });
    expect(server).toMatchObject({ lastPolledAt: at(10), lastOkAt: at(10), nextPollAt: at(20), health: 'ok' });
  });

  test('only the sessions that changed are rewritten; a pause is one event', async () => {
    const [ann, ben] = [...jellyfin.sessions.values()];
    jellyfin.pauseSession(ann!.id);
    ben!.progressMs += 10_000;
    const before = await live(ids.jellyfin);
    await pollServer(ids.jellyfin, { now: at(20) });
    const after = await live(ids.jellyfin);
    expect(after.map((r) => r.id)).toEqual(before.map((r) => r.id));
    const touched = after.filter((r) => r.updatedAt.getTime() === at(20).getTime()).map((r) => r.sessionKey).sort();
    expect(touched).toEqual([ann!.id, ben!.id].sort());
    expect(after.find((r) => r.sessionKey === ben!.id)!.data).toMatchObject({ progressMs: ben!.progressMs });
    expect(after.every((r) => r.startedAt.getTime() === at(0).getTime())).toBe(true);
    expect((await events(ids.jellyfin)).slice(3).map((e) => `${e.sessionKey}:${e.kind}`)).toEqual([`${ann!.id}:pause`]);
  });
});

describe('the in-memory snapshot is not trusted once someone else wrote', () => {
  test('a session another process closed (while the server still lists it) is back in the snapshot after the next poll, with one new start and no second stop', async () => {
    const [row] = await live(ids.plex);
    // What a termination in the web process writes: the row goes, a stop event, the version moves.
    await db.$transaction([
      db.liveSession.delete({ where: { id: row!.id } }),
      db.playbackEvent.create({ data: { serverId: ids.plex, sessionKey: row!.sessionKey, kind: 'stop', at: at(25), data: { ...(row!.data as object), reason: 'terminated' } } }),
      db.mediaServer.update({ where: { id: ids.plex }, data: { snapshotVersion: { increment: 1 } } }),
    ]);
    await pollServer(ids.plex, { now: at(30) });
    expect((await live(ids.plex)).map((r) => r.sessionKey)).toContain(row!.sessionKey);
    const mine = (await events(ids.plex)).filter((e) => e.sessionKey === row!.sessionKey).map((e) => e.kind);
    expect(mine).toEqual(['start', 'stop', 'start']);
  });

  test('after a disable and a re-enable the sessions are written again, each with a start', async () => {
    await setServerEnabled(ids.jellyfin, false);
    expect(await live(ids.jellyfin)).toHaveLength(0);
    await setServerEnabled(ids.jellyfin, true);
    await pollServer(ids.jellyfin, { now: at(40) });
    expect(await live(ids.jellyfin)).toHaveLength(3);
    const kinds = (await events(ids.jellyfin)).map((e) => e.kind);
    expect(kinds.slice(-6)).toEqual(['stop', 'stop', 'stop', 'start', 'start', 'start']);
  });

  test('a server going down closes exactly the sessions stored, once', async () => {
    plex.setOffline(true);
    try {
      const stored = (await live(ids.plex)).map((r) => r.sessionKey).sort();
      await pollServer(ids.plex, { now: at(50) });
      await pollServer(ids.plex, { now: at(60) });
      const stops = (await events(ids.plex)).filter((e) => e.kind === 'stop' && (e.data as { reason?: string }).reason === 'server_down');
      expect(stops.map((e) => e.sessionKey).sort()).toEqual(stored);
      expect(await live(ids.plex)).toHaveLength(0);
      expect(await db.mediaServer.findUniqueOrThrow({ where: { id: ids.plex } })).toMatchObject({ health: 'down', consecutiveFailures: 2, nextPollAt: new Date(at(60).getTime() + 20_000) });
    } finally {
      plex.setOffline(false);
    }
  });
});
