// History survives its sources: disabling a server closes its open plays but keeps them; the
// maintenance job prunes raw playback events past their retention and keeps the plays.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { db } from '@/lib/db';
import { encryptString } from '@/lib/crypto/encryption';
import { closeLiveBus, pollServer, setServerEnabled } from '@/lib/servers';
import { prunePlaybackEvents } from '@/lib/history/jobs';
import { FakeEmby } from '@/tests/fakes';

const emby = new FakeEmby();
const id = 'maint-emby';

beforeAll(async () => {
  await emby.listen();
  await db.mediaServer.create({ data: { id, type: 'emby', name: 'Emby box', url: emby.url, tokenEnc: encryptString(emby.token, undefined, `server:${id}`), pollIntervalS: 10, health: 'ok' } });
});
afterAll(async () => {
  await closeLiveBus();
  await emby.close();
});

describe('history survives', () => {
  test('disabling a server closes its open plays at that moment and keeps them', async () => {
    emby.startSession({ user: 'hank', title: 'Disabled Midway' });
    await pollServer(id);
    expect(await db.play.findFirstOrThrow({ where: { title: 'Disabled Midway' } })).toMatchObject({ stoppedAt: null });
    const before = Date.now();
    await setServerEnabled(id, false);
    const p = await db.play.findFirstOrThrow({ where: { title: 'Disabled Midway' } });
    expect(p.stoppedAt).not.toBeNull();
    expect(p.stoppedAt!.getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(await db.play.count({ where: { serverId: id } })).toBe(1);
  });

  test('raw playback events older than 30 days are pruned; plays stay', async () => {
    const old = new Date(Date.now() - 31 * 86_400_000);
    await db.playbackEvent.create({ data: { serverId: id, sessionKey: 'old', kind: 'start', at: old, data: {} } });
    const recent = await db.playbackEvent.count({ where: { serverId: id, at: { gte: new Date(Date.now() - 86_400_000) } } });
    expect(await prunePlaybackEvents()).toBe(1);
    expect(await db.playbackEvent.count({ where: { serverId: id } })).toBe(recent);
    expect(await db.play.count({ where: { serverId: id } })).toBe(1);
  });
});
