// Servers & live activity against the fake Plex/Jellyfin/Emby over real HTTP (acceptance 2).
/* eslint-disable @typescript-eslint/no-explicit-any -- JSON bodies are asserted with toMatchObject */
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';

vi.hoisted(() => {
  process.env.MEDIA_SERVER_TIMEOUT_MS = '1500';
});

import { db } from '@/lib/db';
import { closeLiveBus, pollAllServers, pollServer } from '@/lib/servers';
import { isEncrypted } from '@/lib/crypto/encryption';
import { FakeEmby, FakeJellyfin, FakePlex } from '@/tests/fakes';
import { authHeaders, createUser, req, type TestUser } from '@/tests/helpers/auth';
import * as serversRoute from '@/app/api/servers/route';
import * as serverRoute from '@/app/api/servers/[id]/route';
import * as testRoute from '@/app/api/servers/test/route';
import * as sessionsRoute from '@/app/api/sessions/route';
import * as sessionRoute from '@/app/api/sessions/[id]/route';
import * as rulesRoute from '@/app/api/servers/rules/route';
import * as syncRoute from '@/app/api/servers/[id]/sync/route';
import * as usersRoute from '@/app/api/servers/[id]/users/route';
import * as librariesRoute from '@/app/api/servers/[id]/libraries/route';
import * as accessRoute from '@/app/api/servers/[id]/users/[userId]/libraries/route';

const fakes = { plex: new FakePlex(), jellyfin: new FakeJellyfin(), emby: new FakeEmby() };
type Type = keyof typeof fakes;
const serverIds = {} as Record<Type, string>;
let admin: TestUser;

const params = <T extends Record<string, string>>(p: T) => ({ params: Promise.resolve(p) });
const body = (data: unknown) => JSON.stringify(data);

async function post(user: TestUser, path: string, data: unknown) {
  return req(path, { method: 'POST', headers: { ...(await authHeaders(user)), 'content-type': 'application/json' }, body: body(data) });
}
async function get(user: TestUser, path: string) {
  return req(path, { headers: await authHeaders(user) });
}
async function sessionsOf(user: TestUser) {
  const res = await sessionsRoute.GET(await get(user, '/api/sessions'), params({}));
  expect(res.status).toBe(200);
  return ((await res.json()) as { sessions: Record<string, any>[] }).sessions;
}

beforeAll(async () => {
  for (const f of Object.values(fakes)) await f.listen();
  admin = await createUser({ role: 'admin' });
});
afterAll(async () => {
  await closeLiveBus();
  for (const f of Object.values(fakes)) await f.close();
});

describe('adding servers', () => {
  test('POST /api/servers → 422 with a reason for a bad token, a bad URL and the wrong type', async () => {
    const bad = await serversRoute.POST(await post(admin, '/api/servers', { type: 'jellyfin', name: 'JF', url: fakes.jellyfin.url, token: 'nope' }), params({}));
    expect(bad.status).toBe(422);
    const err = (await bad.json()) as { error: { code: string; message: string } };
    expect(err.error.code).toBe('server_invalid_credentials');
    expect(err.error.message).toMatch(/rejected the token/);

    const badUrl = await serversRoute.POST(await post(admin, '/api/servers', { type: 'plex', name: 'P', url: 'not a url', token: 'x' }), params({}));
    expect(badUrl.status).toBe(422);
    expect(((await badUrl.json()) as any).error.code).toBe('server_invalid_url');

    const wrong = await testRoute.POST(await post(admin, '/api/servers/test', { type: 'plex', url: fakes.emby.url, token: fakes.emby.token }), params({}));
    expect(wrong.status).toBe(422);
    expect(((await wrong.json()) as any).error.message).toMatch(/Plex/);

    const unreachable = await testRoute.POST(await post(admin, '/api/servers/test', { type: 'emby', url: 'http://127.0.0.1:1', token: 'x' }), params({}));
    expect(((await unreachable.json()) as any).error.code).toBe('server_unreachable');
    expect(await db.mediaServer.count()).toBe(0);
  });

  test.each(['plex', 'jellyfin', 'emby'] as const)('POST /api/servers adds a %s server; the token is encrypted at rest and never returned', async (type) => {
    const fake = fakes[type];
    const res = await serversRoute.POST(await post(admin, '/api/servers', { type, name: `My ${type}`, url: fake.url, token: fake.token, pollIntervalS: 5 }), params({}));
    expect(res.status).toBe(201);
    const created = (await res.json()) as Record<string, unknown>;
    expect(created).toMatchObject({ type, name: `My ${type}`, health: 'ok', pollIntervalS: 5 });
    expect(JSON.stringify(created)).not.toContain(fake.token);
    serverIds[type] = created.id as string;
    const row = await db.mediaServer.findUniqueOrThrow({ where: { id: created.id as string } });
    expect(isEncrypted(row.tokenEnc)).toBe(true);
    expect(row.tokenEnc).not.toContain(fake.token);
    expect(await db.auditLog.count({ where: { action: 'server.create', targetId: row.id } })).toBe(1);
  });

  test('GET /api/servers lists them; a viewer is forbidden and may not add one', async () => {
    const res = await serversRoute.GET(await get(admin, '/api/servers'), params({}));
    expect(((await res.json()) as { servers: unknown[] }).servers).toHaveLength(3);
    const viewer = await createUser({ role: 'viewer' });
    expect((await serversRoute.GET(await get(viewer, '/api/servers'), params({}))).status).toBe(403);
    const staff = await createUser({ role: 'staff', serverIds: [serverIds.plex] });
    const add = await serversRoute.POST(await post(staff, '/api/servers', { type: 'jellyfin', name: 'x', url: fakes.jellyfin.url, token: fakes.jellyfin.token }), params({}));
    expect(add.status).toBe(403);
  });
});

describe('live sessions', () => {
  test('sessions started on every fake appear in GET /api/sessions after one poll, in the normalized shape', async () => {
    for (const f of Object.values(fakes)) {
      f.clearSessions();
      f.startSession({ user: 'alice', title: 'Ozymandias', sourceHeight: 2160, streamHeight: 1080, decision: 'transcode', hdr: 'HDR10', bandwidthKbps: 8616, ipAddress: '203.0.113.24' });
      f.startSession({ user: 'bob', title: 'Spirited Away', mediaType: 'movie', decision: 'directplay', bandwidthKbps: 12000, state: 'paused' });
    }
    const results = await pollAllServers({ force: true });
    expect(results.every((r) => r.ok)).toBe(true);
    const sessions = await sessionsOf(admin);
    expect(sessions).toHaveLength(6);
    for (const type of ['plex', 'jellyfin', 'emby'] as const) {
      const tx = sessions.find((s) => s.serverId === serverIds[type] && s.mediaUser === 'alice')!;
      expect(tx).toMatchObject({
        serverName: `My ${type}`, title: 'Ozymandias', grandparentTitle: 'Breaking Bad', parentIndex: 5, index: 14, mediaType: 'episode',
        state: 'playing', decision: 'transcode', videoDecision: 'transcode', sourceResolution: '4K', streamResolution: '1080p', hdr: 'HDR10',
        bandwidthKbps: 8616, isLocal: false, ipAddress: '203.0.113.24',
      });
      for (const key of ['id', 'sessionKey', 'progressMs', 'durationMs', 'player', 'platform', 'product', 'audioDecision', 'startedAt']) expect(tx).toHaveProperty(key);
      expect(JSON.stringify(tx)).not.toContain(fakes[type].token);
      const dp = sessions.find((s) => s.serverId === serverIds[type] && s.mediaUser === 'bob')!;
      expect(dp).toMatchObject({ mediaType: 'movie', state: 'paused', decision: 'directplay', isLocal: true });
    }
    const samples = await db.bandwidthSample.findMany({ where: { serverId: serverIds.jellyfin } });
    expect(samples.at(-1)).toMatchObject({ totalKbps: 8616 + 12000, wanKbps: 8616, lanKbps: 12000, streams: 2, transcodes: 1 });
  });

  test('a paused/stopped session is reflected on the next poll and keeps its id while it lives', async () => {
    const before = (await sessionsOf(admin)).find((s) => s.serverId === serverIds.emby && s.mediaUser === 'alice')!;
    const fakeSession = [...fakes.emby.sessions.values()].find((s) => s.user === 'alice')!;
    fakes.emby.pauseSession(fakeSession.id);
    await pollServer(serverIds.emby);
    const after = (await sessionsOf(admin)).find((s) => s.serverId === serverIds.emby && s.mediaUser === 'alice')!;
    expect(after.id).toBe(before.id);
    expect(after.startedAt).toBe(before.startedAt);
    expect(after.state).toBe('paused');
    fakes.emby.stopSession(fakeSession.id);
    await pollServer(serverIds.emby);
    expect((await sessionsOf(admin)).filter((s) => s.serverId === serverIds.emby)).toHaveLength(1);
    const events = await db.playbackEvent.findMany({ where: { serverId: serverIds.emby, sessionKey: fakeSession.id }, orderBy: { id: 'asc' } });
    expect(events.map((e) => e.kind)).toEqual(['start', 'pause', 'stop']);
    expect(events[2]).toMatchObject({ mediaUser: 'alice', data: expect.objectContaining({ title: 'Ozymandias', reason: 'ended' }) });
  });

  test.each(['plex', 'jellyfin'] as const)('DELETE /api/sessions/{id} terminates on %s with the message, 202, audited', async (type) => {
    const target = (await sessionsOf(admin)).find((s) => s.serverId === serverIds[type] && s.mediaUser === 'bob')!;
    const res = await sessionRoute.DELETE(
      req(`/api/sessions/${target.id}`, { method: 'DELETE', headers: { ...(await authHeaders(admin)), 'content-type': 'application/json' }, body: body({ message: 'Closing time' }) }),
      params({ id: target.id }),
    );
    expect(res.status).toBe(202);
    expect(fakes[type].callsOf('terminate').at(-1)).toMatchObject({ sessionId: target.sessionKey, message: 'Closing time' });
    expect((await sessionsOf(admin)).some((s) => s.id === target.id)).toBe(false);
    const audit = await db.auditLog.findFirstOrThrow({ where: { action: 'session.terminate', targetId: target.id } });
    expect(audit.actorId).toBe(admin.id);
    expect(audit.detail).toMatchObject({ mediaUser: 'bob', message: 'Closing time' });
    const stop = await db.playbackEvent.findFirstOrThrow({ where: { sessionKey: target.sessionKey, kind: 'stop' } });
    expect(stop.data).toMatchObject({ reason: 'terminated' });
  });

  test('a server going offline is marked down while the others keep updating, then comes back', async () => {
    const plexLive = await db.liveSession.findMany({ where: { serverId: serverIds.plex } });
    expect(plexLive.length).toBeGreaterThan(0);
    fakes.plex.setOffline(true);
    fakes.jellyfin.startSession({ user: 'dave', title: 'Fresh' });
    const results = await pollAllServers({ force: true });
    expect(results.find((r) => r.serverId === serverIds.plex)!.ok).toBe(false);
    expect(results.find((r) => r.serverId === serverIds.jellyfin)!.ok).toBe(true);
    const plex = await db.mediaServer.findUniqueOrThrow({ where: { id: serverIds.plex } });
    expect(plex.health).toBe('down');
    expect(plex.lastError).toMatch(/Could not reach/);
    expect(plex.nextPollAt!.getTime()).toBeGreaterThan(Date.now());
    const sessions = await sessionsOf(admin);
    expect(sessions.some((s) => s.mediaUser === 'dave')).toBe(true);
    expect(sessions.some((s) => s.serverId === serverIds.plex)).toBe(false);
    // Its sessions end in the playback history.
    const stops = await db.playbackEvent.findMany({ where: { serverId: serverIds.plex, kind: 'stop', sessionKey: { in: plexLive.map((r) => r.sessionKey) } } });
    expect(stops.map((e) => [e.sessionKey, (e.data as { reason?: string }).reason]).sort()).toEqual(plexLive.map((r) => [r.sessionKey, 'server_down']).sort());
    const listed = (await (await serversRoute.GET(await get(admin, '/api/servers'), params({}))).json()) as { servers: Record<string, unknown>[] };
    expect(listed.servers.find((s) => s.id === serverIds.plex)).toMatchObject({ health: 'down' });

    // A second failure backs off further.
    await pollServer(serverIds.plex);
    const again = await db.mediaServer.findUniqueOrThrow({ where: { id: serverIds.plex } });
    expect(again.consecutiveFailures).toBe(2);
    expect(again.nextPollAt!.getTime() - again.lastPolledAt!.getTime()).toBe(2 * 5 * 1000);

    fakes.plex.setOffline(false);
    await pollServer(serverIds.plex);
    const back = await db.mediaServer.findUniqueOrThrow({ where: { id: serverIds.plex } });
    expect(back).toMatchObject({ health: 'ok', consecutiveFailures: 0, lastError: null });
    expect((await sessionsOf(admin)).some((s) => s.serverId === serverIds.plex)).toBe(true);
  });

  test('a slow server times out and is marked down without holding up the others', async () => {
    fakes.emby.setDelay(3000);
    const results = await pollAllServers({ force: true });
    fakes.emby.setDelay(0);
    expect(results.find((r) => r.serverId === serverIds.emby)!.error).toMatch(/did not answer/);
    expect(results.filter((r) => r.ok)).toHaveLength(2);
    await pollServer(serverIds.emby);
    expect((await db.mediaServer.findUniqueOrThrow({ where: { id: serverIds.emby } })).health).toBe('ok');
  });
});

describe('scoping', () => {
  test('staff and support see only their servers; support may not terminate; others are not found', async () => {
    const staff = await createUser({ role: 'staff', serverIds: [serverIds.jellyfin] });
    const support = await createUser({ role: 'support', serverIds: [serverIds.jellyfin] });
    const staffSessions = await sessionsOf(staff);
    expect(staffSessions.length).toBeGreaterThan(0);
    expect(staffSessions.every((s) => s.serverId === serverIds.jellyfin)).toBe(true);
    const servers = (await (await serversRoute.GET(await get(staff, '/api/servers'), params({}))).json()) as { servers: { id: string }[] };
    expect(servers.servers.map((s) => s.id)).toEqual([serverIds.jellyfin]);
    expect((await serverRoute.GET(await get(staff, `/api/servers/${serverIds.plex}`), params({ id: serverIds.plex }))).status).toBe(404);

    const plexSession = (await sessionsOf(admin)).find((s) => s.serverId === serverIds.plex)!;
    const del = async (user: TestUser, id: string) =>
      sessionRoute.DELETE(req(`/api/sessions/${id}`, { method: 'DELETE', headers: await authHeaders(user) }), params({ id }));
    expect((await del(staff, plexSession.id)).status).toBe(404);
    const jfSession = staffSessions[0]!;
    expect((await del(support, jfSession.id)).status).toBe(403);
    expect((await del(staff, jfSession.id)).status).toBe(202);
  });
});

describe('media users and libraries', () => {
  test('sync, list and edit a Jellyfin user\'s library access (audited)', async () => {
    const id = serverIds.jellyfin;
    const sync = await syncRoute.POST(req(`/api/servers/${id}/sync`, { method: 'POST', headers: await authHeaders(admin) }), params({ id }));
    expect(await sync.json()).toEqual({ users: 2, libraries: 3 });
    const users = ((await (await usersRoute.GET(await get(admin, `/api/servers/${id}/users`), params({ id }))).json()) as { users: Record<string, any>[] }).users;
    const libs = ((await (await librariesRoute.GET(await get(admin, `/api/servers/${id}/libraries`), params({ id }))).json()) as { libraries: Record<string, any>[] }).libraries;
    expect(libs.find((l) => l.name === 'Movies')).toMatchObject({ paths: ['/data/movies'], type: 'movies' });
    const bob = users.find((u) => u.name === 'bob')!;
    const put = await accessRoute.PUT(
      req(`/api/servers/${id}/users/${bob.id}/libraries`, { method: 'PUT', headers: { ...(await authHeaders(admin)), 'content-type': 'application/json' }, body: body({ allLibraries: false, libraryIds: [libs[0]!.externalId] }) }),
      params({ id, userId: bob.id }),
    );
    expect(put.status).toBe(200);
    expect(fakes.jellyfin.callsOf('library-access').at(-1)).toMatchObject({ userId: bob.externalId, body: expect.objectContaining({ EnableAllFolders: false, EnabledFolders: [libs[0]!.externalId] }) });
    const read = await accessRoute.GET(await get(admin, `/api/servers/${id}/users/${bob.id}/libraries`), params({ id, userId: bob.id }));
    expect(await read.json()).toEqual({ allLibraries: false, libraryIds: [libs[0]!.externalId] });
    expect(await db.auditLog.count({ where: { action: 'media_user.library_access' } })).toBe(1);
  });
});

describe('rules', () => {
  test('the 4K-transcode rule terminates after the grace period and not again within the cooldown', async () => {
    const id = serverIds.jellyfin;
    const create = await rulesRoute.POST(await post(admin, '/api/servers/rules', { kind: 'transcode_4k', name: 'No 4K transcodes', serverIds: [id], message: 'Please play 4K on a 4K device', graceSeconds: 30, cooldownSeconds: 600 }), params({}));
    expect(create.status).toBe(201);
    fakes.jellyfin.clearSessions();
    const offender = fakes.jellyfin.startSession({ user: 'erin', userId: 'erin1', sourceHeight: 2160, streamHeight: 1080, decision: 'transcode', hdr: 'HDR10' });
    fakes.jellyfin.startSession({ user: 'frank', sourceHeight: 2160, streamHeight: 2160, decision: 'directplay' });
    const t0 = Date.now();
    const at = (s: number) => new Date(t0 + s * 1000);
    const terminations = () => fakes.jellyfin.callsOf('terminate').filter((c) => c.message === 'Please play 4K on a 4K device');

    await pollServer(id, { now: at(0) });
    await pollServer(id, { now: at(20) });
    expect(terminations()).toHaveLength(0);
    await pollServer(id, { now: at(31) });
    expect(terminations()).toHaveLength(1);
    expect(terminations()[0]!.sessionId).toBe(offender.id);
    expect(fakes.jellyfin.sessions.size).toBe(1);

    // The same user starts another 4K transcode: within the cooldown it is left alone.
    fakes.jellyfin.startSession({ user: 'erin', userId: 'erin1', sourceHeight: 2160, streamHeight: 720, decision: 'transcode' });
    await pollServer(id, { now: at(40) });
    await pollServer(id, { now: at(80) });
    expect(terminations()).toHaveLength(1);
    // After the cooldown it fires again.
    await pollServer(id, { now: at(700) });
    expect(terminations()).toHaveLength(2);

    const firings = await db.ruleFiring.findMany({ where: { serverId: id } });
    expect(firings).toHaveLength(2);
    expect(await db.auditLog.count({ where: { action: 'rule.fire' } })).toBe(2);
    const list = (await (await rulesRoute.GET(await get(admin, '/api/servers/rules'), params({}))).json()) as { firings: unknown[] };
    expect(list.firings).toHaveLength(2);
  });

  test('the per-user stream limit stops the newest stream over the limit', async () => {
    const id = serverIds.emby;
    await rulesRoute.POST(await post(admin, '/api/servers/rules', { kind: 'stream_limit', name: 'Two streams', serverIds: [id], maxStreams: 2, graceSeconds: 0, message: 'Too many streams' }), params({}));
    fakes.emby.clearSessions();
    fakes.emby.startSession({ user: 'gina', userId: 'g' });
    await pollServer(id);
    fakes.emby.startSession({ user: 'gina', userId: 'g' });
    await pollServer(id);
    const third = fakes.emby.startSession({ user: 'gina', userId: 'g' });
    await pollServer(id);
    const calls = fakes.emby.callsOf('terminate').filter((c) => c.message === 'Too many streams');
    expect(calls.map((c) => c.sessionId)).toEqual([third.id]);
    expect(fakes.emby.sessions.size).toBe(2);
  });
});

describe('editing and deleting', () => {
  test('disabling a server closes its live sessions in the playback history (stop events), as going down does', async () => {
    const id = serverIds.jellyfin;
    fakes.jellyfin.startSession({ user: 'hank', title: 'Cut short' });
    await pollServer(id);
    const live = await db.liveSession.findMany({ where: { serverId: id } });
    expect(live.length).toBeGreaterThan(0);
    const headers = { ...(await authHeaders(admin)), 'content-type': 'application/json' };
    const patch = await serverRoute.PATCH(req(`/api/servers/${id}`, { method: 'PATCH', headers, body: body({ enabled: false }) }), params({ id }));
    expect(patch.status).toBe(200);
    const stops = await db.playbackEvent.findMany({ where: { serverId: id, kind: 'stop', sessionKey: { in: live.map((r) => r.sessionKey) } } });
    expect(stops.map((e) => e.sessionKey).sort()).toEqual(live.map((r) => r.sessionKey).sort());
    expect(stops.every((e) => (e.data as { reason?: string }).reason === 'server_disabled')).toBe(true);
  });

  test('a poll still waiting on the server when it is disabled writes nothing afterwards', async () => {
    const id = serverIds.plex;
    const session = fakes.plex.startSession({ user: 'ivy', title: 'Late answer' });
    fakes.plex.setDelay(800);
    try {
      const polling = pollServer(id);
      await new Promise((r) => setTimeout(r, 250)); // the poll's request is now waiting on the fake
      const headers = { ...(await authHeaders(admin)), 'content-type': 'application/json' };
      const patch = await serverRoute.PATCH(req(`/api/servers/${id}`, { method: 'PATCH', headers, body: body({ enabled: false }) }), params({ id }));
      expect(patch.status).toBe(200);
      expect(await polling).toMatchObject({ ok: false, error: 'not found or disabled' });
    } finally {
      fakes.plex.setDelay(0);
    }
    expect(await db.liveSession.count({ where: { serverId: id } })).toBe(0);
    expect(await db.playbackEvent.count({ where: { serverId: id, sessionKey: { contains: session.id } } })).toBe(0);
    expect((await sessionsOf(admin)).some((s) => s.serverId === id)).toBe(false);
    expect((await db.mediaServer.findUniqueOrThrow({ where: { id } })).enabled).toBe(false);
  });

  test('a disable while a rule is closing sessions leaves each session one stop event', async () => {
    const id = serverIds.emby; // the 'Two streams' limit applies
    fakes.emby.startSession({ user: 'hal', userId: 'h' });
    fakes.emby.startSession({ user: 'hal', userId: 'h' });
    await pollServer(id);
    const extra = fakes.emby.startSession({ user: 'hal', userId: 'h' });
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    // The poll lists sessions and the rule stops `extra`: hold that stop while the server is disabled.
    const arrived = fakes.emby.holdNext((p) => p === `/Sessions/${extra.id}/Playing/Stop`, gate);
    const polling = pollServer(id);
    await arrived;
    const headers = { ...(await authHeaders(admin)), 'content-type': 'application/json' };
    const disable = serverRoute.PATCH(req(`/api/servers/${id}`, { method: 'PATCH', headers, body: body({ enabled: false }) }), params({ id }));
    expect((await disable).status).toBe(200);
    release();
    await polling;
    expect(fakes.emby.callsOf('terminate').at(-1)?.sessionId).toBe(extra.id);
    const stops = await db.playbackEvent.findMany({ where: { serverId: id, kind: 'stop', sessionKey: extra.id } });
    expect(stops).toHaveLength(1);
    expect(await db.liveSession.count({ where: { serverId: id } })).toBe(0);
  });

  test('PATCH disables a server (no more polling, sessions gone); DELETE removes it (audited)', async () => {
    const id = serverIds.emby;
    const headers = { ...(await authHeaders(admin)), 'content-type': 'application/json' };
    const patch = await serverRoute.PATCH(req(`/api/servers/${id}`, { method: 'PATCH', headers, body: body({ enabled: false, pollIntervalS: 30 }) }), params({ id }));
    expect(await patch.json()).toMatchObject({ enabled: false, pollIntervalS: 30 });
    expect((await sessionsOf(admin)).some((s) => s.serverId === id)).toBe(false);
    expect((await pollAllServers({ force: true })).some((r) => r.serverId === id)).toBe(false);
    const badToken = await serverRoute.PATCH(req(`/api/servers/${id}`, { method: 'PATCH', headers, body: body({ token: 'wrong' }) }), params({ id }));
    expect(badToken.status).toBe(422);
    const del = await serverRoute.DELETE(req(`/api/servers/${id}`, { method: 'DELETE', headers: await authHeaders(admin) }), params({ id }));
    expect(del.status).toBe(204);
    expect(await db.mediaServer.count({ where: { id } })).toBe(0);
    expect(await db.auditLog.count({ where: { action: 'server.delete', targetId: id } })).toBe(1);
  });
});
