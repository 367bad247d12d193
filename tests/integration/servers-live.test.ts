// The worker's claim-due polling, the SSE stream (scoped, pushed after a poll), the poster proxy
// and the daily directory sync, against the fakes over real HTTP.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { db } from '@/lib/db';
import { systemActor } from '@/lib/auth/actor';
import { closeLiveBus, getBandwidth, liveViewSequence, pollAllServers, pollServer, syncDueDirectories } from '@/lib/servers';
import { mergeBandwidth } from '@/lib/servers/bandwidth-window';
import { FakeJellyfin, FakePlex } from '@/tests/fakes';
import { authHeaders, createUser, req, type TestUser } from '@/tests/helpers/auth';
import * as serversRoute from '@/app/api/servers/route';
import * as eventsRoute from '@/app/api/events/route';
import * as posterRoute from '@/app/api/servers/[id]/poster/route';
import * as sessionsRoute from '@/app/api/sessions/route';

const plex = new FakePlex();
const jellyfin = new FakeJellyfin();
let admin: TestUser;
const ids = { plex: '', jellyfin: '' };
const params = <T extends Record<string, string>>(p: T) => ({ params: Promise.resolve(p) });

async function addServer(type: 'plex' | 'jellyfin', fake: FakePlex | FakeJellyfin) {
  const res = await serversRoute.POST(
    req('/api/servers', { method: 'POST', headers: { ...(await authHeaders(admin)), 'content-type': 'application/json' }, body: JSON.stringify({ type, name: `Live ${type}`, url: fake.url, token: fake.token, pollIntervalS: 10 }) }),
    params({}),
  );
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

/** Reads SSE events until `count` `live` events arrived, then aborts the request. */
async function readLiveEvents(user: TestUser, count: number, afterFirst?: () => Promise<void>) {
  const controller = new AbortController();
  const res = await eventsRoute.GET(req('/api/events', { headers: await authHeaders(user), signal: controller.signal }), params({}));
  expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  const events: { sessions: { serverId: string; mediaUser: string }[]; servers: { id: string; health: string }[]; bandwidthAppend: boolean }[] = [];
  let buffer = '';
  while (events.length < count) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let idx;
    while ((idx = buffer.indexOf('\n\n')) >= 0) {
      const chunk = buffer.slice(0, idx);
      buffer = buffer.slice(idx + 2);
      const data = /^event: live\ndata: (.*)$/s.exec(chunk)?.[1];
      if (data) {
        events.push(JSON.parse(data));
        if (events.length === 1 && afterFirst) await afterFirst();
      }
    }
  }
  controller.abort();
  await reader.cancel().catch(() => {});
  return events;
}

beforeAll(async () => {
  await plex.listen();
  await jellyfin.listen();
  admin = await createUser({ role: 'admin' });
  ids.plex = await addServer('plex', plex);
  ids.jellyfin = await addServer('jellyfin', jellyfin);
});
afterAll(async () => {
  await closeLiveBus();
  await plex.close();
  await jellyfin.close();
});

describe('worker polling', () => {
  test('pollAllServers claims only due servers, so a second tick right after polls nothing', async () => {
    plex.startSession({ user: 'alice' });
    const first = await pollAllServers();
    expect(first.map((r) => r.serverId).sort()).toEqual([ids.plex, ids.jellyfin].sort());
    expect(await pollAllServers()).toEqual([]);
    const later = new Date(Date.now() + 11_000);
    expect((await pollAllServers({ now: later })).length).toBe(2);
  });

  test('bandwidth samples older than the retention are pruned, recent ones kept', async () => {
    await db.bandwidthSample.create({ data: { serverId: ids.plex, at: new Date(Date.now() - 26 * 3600_000), totalKbps: 1, lanKbps: 1, wanKbps: 0, streams: 1 } });
    await db.bandwidthSample.create({ data: { serverId: ids.plex, at: new Date(Date.now() - 23 * 3600_000), totalKbps: 2, lanKbps: 2, wanKbps: 0, streams: 1 } });
    await pollAllServers({ force: true });
    const samples = await db.bandwidthSample.findMany({ where: { serverId: ids.plex } });
    expect(samples.some((s) => s.totalKbps === 1)).toBe(false);
    expect(samples.some((s) => s.totalKbps === 2)).toBe(true);
  });
});

describe('GET /api/events (SSE)', () => {
  test('sends the view on connect and again after a poll changes a snapshot', async () => {
    jellyfin.clearSessions();
    const events = await readLiveEvents(admin, 2, async () => {
      jellyfin.startSession({ user: 'bob', title: 'Live one' });
      await pollAllServers({ force: true });
    });
    expect(events[0]!.sessions.some((s) => s.mediaUser === 'bob')).toBe(false);
    expect(events[1]!.sessions.some((s) => s.mediaUser === 'bob' && s.serverId === ids.jellyfin)).toBe(true);
  });

  test('staff get only their servers in the stream; viewers are refused', async () => {
    const staff = await createUser({ role: 'staff', serverIds: [ids.jellyfin] });
    const [view] = await readLiveEvents(staff, 1);
    expect(view!.servers.map((s) => s.id)).toEqual([ids.jellyfin]);
    expect(view!.sessions.length).toBeGreaterThan(0);
    expect(view!.sessions.every((s) => s.serverId === ids.jellyfin)).toBe(true);
    const viewer = await createUser({ role: 'viewer' });
    const res = await eventsRoute.GET(req('/api/events', { headers: await authHeaders(viewer) }), params({}));
    expect(res.status).toBe(403);
  });
});

describe('live views carry each bandwidth sample once', () => {
  test('the first view of a stream has the hour, later ones only the new samples, which append to the same series', async () => {
    const actor = systemActor('test');
    const nextView = liveViewSequence(actor);
    const first = await nextView();
    expect(first.bandwidthAppend).toBe(false);
    expect(first.bandwidth).toEqual(await getBandwidth(actor));
    const heldJellyfin = first.bandwidth[ids.jellyfin]!;
    expect(heldJellyfin.length).toBeGreaterThan(1);

    // Earlier tests polled with a clock ahead of now; a server's sample times only grow.
    await pollServer(ids.jellyfin, { now: new Date(Date.parse(heldJellyfin[heldJellyfin.length - 1]!.at) + 10_000) });
    const second = await nextView();
    expect(second.bandwidthAppend).toBe(true);
    expect(Object.keys(second.bandwidth)).toEqual([ids.jellyfin]);
    expect(second.bandwidth[ids.jellyfin]).toHaveLength(1);
    expect(second.bandwidth[ids.jellyfin]![0]!.at > heldJellyfin[heldJellyfin.length - 1]!.at).toBe(true);
    expect(mergeBandwidth(first.bandwidth, second)).toEqual(await getBandwidth(actor));

    const third = await nextView();
    expect(third.bandwidth).toEqual({});
  });

  test('over SSE the first event is a full view and the next one appends', async () => {
    const events = await readLiveEvents(admin, 2, async () => {
      await pollAllServers({ force: true });
    });
    expect(events.map((e) => e.bandwidthAppend)).toEqual([false, true]);
  });
});

describe('poster proxy', () => {
  test('serves the image with the server token kept server-side; scoped like the server', async () => {
    const res = await sessionsRoute.GET(req('/api/sessions', { headers: await authHeaders(admin) }), params({}));
    const { sessions } = (await res.json()) as { sessions: { serverId: string; posterUrl: string }[] };
    const s = sessions.find((x) => x.serverId === ids.plex)!;
    expect(s.posterUrl).toMatch(new RegExp(`^/api/servers/${ids.plex}/poster\\?thumb=`));
    expect(s.posterUrl).not.toContain(plex.token);
    const img = await posterRoute.GET(req(s.posterUrl, { headers: await authHeaders(admin) }), params({ id: ids.plex }));
    expect(img.status).toBe(200);
    expect(img.headers.get('content-type')).toBe('image/png');
    expect(plex.requests.filter((r) => r.path.includes('/thumb/')).every((r) => r.authorized)).toBe(true);

    const staff = await createUser({ role: 'staff', serverIds: [ids.jellyfin] });
    expect((await posterRoute.GET(req(s.posterUrl, { headers: await authHeaders(staff) }), params({ id: ids.plex }))).status).toBe(404);
    const evil = await posterRoute.GET(req(`/api/servers/${ids.plex}/poster?thumb=http://evil.test/x`, { headers: await authHeaders(admin) }), params({ id: ids.plex }));
    expect(evil.status).toBe(400);
  });
});

describe('poster proxy reaches only images', () => {
  test('a support user (who may not stop streams) cannot make the server call another endpoint with its token', async () => {
    plex.clearSessions();
    const target = plex.startSession({ user: 'ivy' });
    const support = await createUser({ role: 'support', serverIds: [ids.plex] });
    const sneaky = [
      `/status/sessions/terminate?sessionId=${target.id}&reason=gotcha`,
      '/library/sections/1/refresh',
    ];
    const statuses = [];
    for (const thumb of sneaky) {
      const res = await posterRoute.GET(req(`/api/servers/${ids.plex}/poster?thumb=${encodeURIComponent(thumb)}`, { headers: await authHeaders(support) }), params({ id: ids.plex }));
      statuses.push(res.status);
    }
    expect(statuses).toEqual([404, 404]);
    expect(plex.callsOf('terminate')).toHaveLength(0);
    expect(plex.callsOf('scan')).toHaveLength(0);
    expect(plex.sessions.has(target.id)).toBe(true);
    // Real poster paths still work for them.
    const ok = await posterRoute.GET(req(`/api/servers/${ids.plex}/poster?thumb=${encodeURIComponent('/library/metadata/7/thumb/1')}`, { headers: await authHeaders(support) }), params({ id: ids.plex }));
    expect(ok.status).toBe(200);
  });
});

describe('daily directory sync', () => {
  test('syncs servers never synced or synced over a day ago, skips fresh ones', async () => {
    await syncDueDirectories(systemActor('test'));
    expect(await db.mediaUser.count({ where: { serverId: ids.plex } })).toBe(3);
    expect(await db.mediaLibrary.count({ where: { serverId: ids.jellyfin } })).toBe(3);
    const synced = await db.mediaServer.findUniqueOrThrow({ where: { id: ids.plex } });
    await syncDueDirectories(systemActor('test'));
    expect((await db.mediaServer.findUniqueOrThrow({ where: { id: ids.plex } })).usersSyncedAt).toEqual(synced.usersSyncedAt);
    const results = await syncDueDirectories(systemActor('test'), new Date(Date.now() + 25 * 3600_000));
    expect(results).toHaveLength(2);
  });
});
