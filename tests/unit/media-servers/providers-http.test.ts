// The providers against the fake servers over real HTTP: auth, sessions, actions and failures.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { providerFor, type ServerType } from '@/lib/media-servers';
import { FakeEmby, FakeJellyfin, FakePlex, type FakeMediaServer } from '@/tests/fakes';

const fakes: Record<ServerType, FakeMediaServer> = { plex: new FakePlex(), jellyfin: new FakeJellyfin(), emby: new FakeEmby() };

beforeAll(async () => {
  for (const f of Object.values(fakes)) await f.listen();
});
afterAll(async () => {
  for (const f of Object.values(fakes)) await f.close();
});

const provider = (type: ServerType, token?: string, timeoutMs = 2000) =>
  providerFor({ type, url: fakes[type].url, token: token ?? fakes[type].token, timeoutMs, plexTvUrl: fakes[type].url });

describe('plex source media', () => {
  test('a transcoding session reads its source from /library/metadata once, not every poll; direct plays never', async () => {
    const fake = fakes.plex as FakePlex;
    fake.clearSessions();
    const tx = fake.startSession({ user: 'dora', sourceHeight: 2160, streamHeight: 720, decision: 'transcode', hdr: 'DV' });
    fake.startSession({ user: 'eli', sourceHeight: 1080, decision: 'directplay' });
    const before = fake.callsOf('metadata').length;
    const p = provider('plex');
    for (let i = 0; i < 3; i++) {
      const s = (await p.listSessions()).find((x) => x.mediaUser === 'dora')!;
      expect(s).toMatchObject({ sourceResolution: '4K', streamResolution: '720p', hdr: 'DV', videoDecision: 'transcode' });
    }
    const lookups = fake.callsOf('metadata').slice(before);
    expect(lookups).toHaveLength(1);
    expect(tx.id.replace(/\W/g, '')).toContain(lookups[0]!.itemId);
  });
});

describe.each(['plex', 'jellyfin', 'emby'] as const)('%s over HTTP', (type) => {
  test('test connection returns the identity; a bad token is invalid_credentials', async () => {
    const id = await provider(type).testConnection();
    expect(id.type).toBe(type);
    expect(id.machineId).toBeTruthy();
    expect(id.version).toBeTruthy();
    await expect(provider(type, 'wrong').testConnection()).rejects.toMatchObject({ code: 'invalid_credentials' });
  });

  test('a 4K HDR transcode and a direct play show up normalized', async () => {
    const fake = fakes[type];
    fake.clearSessions();
    const a = fake.startSession({ user: 'alice', title: 'Ozymandias', sourceHeight: 2160, streamHeight: 1080, decision: 'transcode', hdr: 'HDR10', bandwidthKbps: 8616, ipAddress: '203.0.113.24' });
    fake.startSession({ user: 'bob', title: 'Spirited Away', mediaType: 'movie', decision: 'directplay', bandwidthKbps: 12000, state: 'paused' });
    const sessions = await provider(type).listSessions();
    expect(sessions).toHaveLength(2);
    const tx = sessions.find((s) => s.mediaUser === 'alice')!;
    expect(tx).toMatchObject({ title: 'Ozymandias', grandparentTitle: 'Breaking Bad', parentIndex: 5, index: 14, decision: 'transcode', videoDecision: 'transcode', sourceResolution: '4K', streamResolution: '1080p', hdr: 'HDR10', bandwidthKbps: 8616, isLocal: false, state: 'playing' });
    expect(tx.sessionKey).toBe(a.id);
    const dp = sessions.find((s) => s.mediaUser === 'bob')!;
    expect(dp).toMatchObject({ mediaType: 'movie', decision: 'directplay', state: 'paused', isLocal: true, sourceResolution: '1080p', hdr: null });
  });

  test('terminate with a message is recorded and ends the session', async () => {
    const fake = fakes[type];
    const s = fake.startSession({ user: 'carol' });
    await provider(type).terminateSession(s.id, 'Please use direct play');
    expect(fake.callsOf('terminate').at(-1)).toMatchObject({ sessionId: s.id, message: 'Please use direct play' });
    expect(fake.sessions.has(s.id)).toBe(false);
  });

  test('users, libraries with paths, scan and library access', async () => {
    const p = provider(type);
    const users = await p.listUsers();
    expect(users.length).toBeGreaterThanOrEqual(2);
    const libs = await p.listLibraries();
    expect(libs.length).toBeGreaterThanOrEqual(2);
    expect(libs[0]!.paths.length).toBe(1);
    await p.refreshPath(libs[0]!.id, `${libs[0]!.paths[0]}/New Movie (2024)`);
    expect(fakes[type].callsOf('scan').at(-1)!.path).toBe(`${libs[0]!.paths[0]}/New Movie (2024)`);
    const target = type === 'plex' ? '1000' : users.find((u) => !u.isAdmin)!.id;
    await p.setLibraryAccess(target, { allLibraries: false, libraryIds: [libs[1]!.id] });
    expect(fakes[type].callsOf('library-access').at(-1)!.userId).toBe(target);
    expect(await p.getLibraryAccess(target)).toEqual({ allLibraries: false, libraryIds: [libs[1]!.id] });
  });

  test('offline is unreachable, slow is a timeout', async () => {
    const fake = fakes[type];
    fake.setOffline(true);
    await expect(provider(type).listSessions()).rejects.toMatchObject({ code: 'unreachable' });
    fake.setOffline(false);
    fake.setDelay(500);
    await expect(provider(type, undefined, 100).listSessions()).rejects.toMatchObject({ code: 'timeout' });
    fake.setDelay(0);
  });
});

describe('wrong server type and bad URLs', () => {
  test('a Jellyfin URL added as Plex, Plex as Jellyfin, Jellyfin as Emby', async () => {
    await expect(providerFor({ type: 'plex', url: fakes.jellyfin.url, token: 'x' }).testConnection()).rejects.toMatchObject({ code: 'wrong_server_type' });
    await expect(providerFor({ type: 'jellyfin', url: fakes.plex.url, token: 'x' }).testConnection()).rejects.toMatchObject({ code: 'wrong_server_type' });
    await expect(providerFor({ type: 'emby', url: fakes.jellyfin.url, token: fakes.jellyfin.token }).testConnection()).rejects.toMatchObject({ code: 'wrong_server_type' });
    await expect(providerFor({ type: 'jellyfin', url: fakes.emby.url, token: fakes.emby.token }).testConnection()).rejects.toMatchObject({ code: 'wrong_server_type' });
  });

  test('an invalid URL and a closed port', async () => {
    expect(() => providerFor({ type: 'plex', url: 'not a url', token: 'x' })).toThrow(expect.objectContaining({ code: 'invalid_url' }));
    expect(() => providerFor({ type: 'jellyfin', url: 'ftp://host', token: 'x' })).toThrow(expect.objectContaining({ code: 'invalid_url' }));
    await expect(providerFor({ type: 'emby', url: 'http://127.0.0.1:1', token: 'x', timeoutMs: 1000 }).testConnection()).rejects.toMatchObject({ code: 'unreachable' });
  });
});
