// History over real HTTP (scripts/web-server.ts) with the fake media servers: plays from polls and
// webhooks, one play per viewing whichever source reports it, scope of viewers in the page, the API
// and the export, and plays that outlive their server.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parse as parseCsv } from 'csv-parse/sync';
import { db } from '@/lib/db';
import { encryptString } from '@/lib/crypto/encryption';
import { closeLiveBus, deleteServer, pollServer } from '@/lib/servers';
import { systemActor } from '@/lib/auth/actor';
import { closeStalePlays } from '@/lib/history';
import { getOrCreateWebhookSecret } from '@/lib/webhooks';
import { csvRow } from '@/lib/http/csv';
import { PLAY_FIELDS } from '@/lib/history/read';
import { FakeJellyfin, FakePlex } from '@/tests/fakes';
import { startWebServer, type WebServer } from '@/tests/helpers/web-server';
import { createUser, sessionCookie } from '@/tests/helpers/auth';

const plex = new FakePlex();
const jellyfin = new FakeJellyfin();
const ids = { plex: 'hist-plex', jellyfin: 'hist-jellyfin' };
let web: WebServer;
let secret: string;
let adminCookie: string;

async function addServer(id: string, fake: FakePlex | FakeJellyfin, machineId: string | null = null) {
  await db.mediaServer.create({
    data: { id, type: fake.type, name: `${fake.type} box`, url: fake.url, machineId, tokenEnc: encryptString(fake.token, undefined, `server:${id}`), pollIntervalS: 10, health: 'ok' },
  });
}

async function api<T = Record<string, unknown>>(path: string, cookie = adminCookie): Promise<{ status: number; body: T; headers: Headers; text: string }> {
  const res = await fetch(web.url + path, { headers: { cookie } });
  const text = await res.text();
  let body: T = undefined as T;
  try {
    body = JSON.parse(text) as T;
  } catch {
    /* not JSON */
  }
  return { status: res.status, body, headers: res.headers, text };
}

type Play = { id: string; title: string; mediaUser: string; pausedS: number; watchedS: number; stoppedAt: string | null; source: string; serverId: string; serverName: string };
const plays = async (query = '', cookie = adminCookie) => (await api<{ plays: Play[]; nextCursor: string | null }>(`/api/history${query}`, cookie)).body;

function plexWebhook(event: string, over: { user: string; ratingKey: string; title: string }) {
  const base = JSON.parse(readFileSync('tests/fixtures/plex-webhook/media.stop.json', 'utf8')) as Record<string, Record<string, unknown>>;
  const payload = {
    ...base,
    event,
    Account: { ...base.Account, id: 1, title: over.user },
    Server: { title: 'plex box', uuid: plex.machineId },
    Metadata: { ...base.Metadata, ratingKey: over.ratingKey, title: over.title, type: 'episode', grandparentTitle: 'Breaking Bad', viewOffset: 120_000, duration: 2_838_000 },
  };
  const form = new FormData();
  form.set('payload', JSON.stringify(payload));
  form.set('thumb', new Blob([Buffer.alloc(64 * 1024, 1)], { type: 'image/jpeg' }), 'thumb.jpg');
  return form;
}

const postWebhook = (source: string, body: FormData | string, token = secret) =>
  fetch(`${web.url}/api/webhooks/${source}?token=${encodeURIComponent(token)}`, {
    method: 'POST',
    body,
    ...(typeof body === 'string' ? { headers: { 'content-type': 'application/json' } } : {}),
  });

beforeAll(async () => {
  await plex.listen();
  await jellyfin.listen();
  await addServer(ids.plex, plex, plex.machineId);
  await addServer(ids.jellyfin, jellyfin);
  secret = await getOrCreateWebhookSecret();
  const admin = await createUser({ role: 'admin' });
  adminCookie = await sessionCookie(admin);
  web = await startWebServer();
}, 300_000);

afterAll(async () => {
  await web?.stop();
  await closeLiveBus();
  await plex.close();
  await jellyfin.close();
});

describe('plays from polls', () => {
  test('played, paused 20 s, resumed and stopped: one play with pausedS 20 (± one poll interval)', async () => {
    const t0 = Date.now() - 3_600_000;
    const at = (s: number) => ({ now: new Date(t0 + s * 1000) });
    const s = jellyfin.startSession({ user: 'carol', userId: 'carol-id', title: 'Pause Test' });
    await pollServer(ids.jellyfin, at(0));
    await pollServer(ids.jellyfin, at(10));
    jellyfin.pauseSession(s.id);
    await pollServer(ids.jellyfin, at(20));
    await pollServer(ids.jellyfin, at(30));
    jellyfin.resumeSession(s.id);
    await pollServer(ids.jellyfin, at(40));
    await pollServer(ids.jellyfin, at(50));
    jellyfin.stopSession(s.id);
    await pollServer(ids.jellyfin, at(60));
    const { plays: found } = await plays('?q=Pause%20Test');
    expect(found).toHaveLength(1);
    expect(Math.abs(found[0]!.pausedS - 20)).toBeLessThanOrEqual(10);
    expect(found[0]).toMatchObject({ mediaUser: 'carol', watchedS: 40, source: 'poll', stoppedAt: new Date(t0 + 60_000).toISOString() });
  });

  test('a play left open by a worker that died closes when it was last seen, not hours later', async () => {
    const t0 = Date.now() - 7_200_000;
    const s = jellyfin.startSession({ user: 'dave', userId: 'dave-id', title: 'Crash Test' });
    await pollServer(ids.jellyfin, { now: new Date(t0) });
    await pollServer(ids.jellyfin, { now: new Date(t0 + 10_000) });
    jellyfin.stopSession(s.id);
    // The worker was down for an hour; the next poll finds the session gone.
    await pollServer(ids.jellyfin, { now: new Date(t0 + 3_600_000) });
    const [p] = (await plays('?q=Crash%20Test')).plays;
    expect(p!.stoppedAt).toBe(new Date(t0 + 10_000).toISOString());
    expect(p!.watchedS).toBe(10);
  });

  test('a webhook-only play whose stop never came is closed by the sweep at its last sighting', async () => {
    const seen = new Date(Date.now() - 3_600_000);
    await db.play.create({ data: { serverId: ids.plex, serverName: 'plex box', title: 'Orphan', mediaType: 'movie', startedAt: new Date(seen.getTime() - 600_000), lastSeenAt: seen, source: 'webhook' } });
    expect(await closeStalePlays()).toBeGreaterThanOrEqual(1);
    const [p] = (await plays('?q=Orphan')).plays;
    expect(p).toMatchObject({ stoppedAt: seen.toISOString(), watchedS: 600 });
  });
});

describe('media-server webhooks', () => {
  test('a bad secret is 401, an unknown source 404, a malformed body 400', async () => {
    const bad = await postWebhook('plex', plexWebhook('media.play', { user: 'alice', ratingKey: '1', title: 'x' }), 'wrong-secret');
    expect(bad.status).toBe(401);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('invalid_webhook_secret');
    expect((await postWebhook('nope', '{}')).status).toBe(404);
    const malformed = await postWebhook('jellyfin', '{"NotificationType": "PlaybackStart"');
    expect(malformed.status).toBe(400);
    const ignored = await postWebhook('plex', plexWebhook('library.new', { user: 'alice', ratingKey: '1', title: 'x' }));
    expect(ignored.status).toBe(200);
    expect(await ignored.json()).toMatchObject({ ok: true });
  });

  test('the same session by webhook and poll is one play; a Plex media.stop closes it before the next poll', async () => {
    const s = plex.startSession({ user: 'erin', userId: '1', title: 'Both Sources' });
    await pollServer(ids.plex);
    const rk = s.id.replace(/\W/g, '').slice(-8);
    const play = await postWebhook('plex', plexWebhook('media.play', { user: 'erin', ratingKey: rk, title: 'Both Sources' }));
    expect(play.status).toBe(202);
    expect(await play.json()).toEqual({ queued: 1 });
    let found = (await plays('?q=Both%20Sources')).plays;
    expect(found).toHaveLength(1);
    expect(found[0]!.stoppedAt).toBeNull();

    const stop = await postWebhook('plex', plexWebhook('media.stop', { user: 'erin', ratingKey: rk, title: 'Both Sources' }));
    expect(stop.status).toBe(202);
    found = (await plays('?q=Both%20Sources')).plays;
    expect(found).toHaveLength(1);
    const stoppedAt = found[0]!.stoppedAt;
    expect(stoppedAt).not.toBeNull();

    plex.stopSession(s.id);
    await pollServer(ids.plex);
    found = (await plays('?q=Both%20Sources')).plays;
    expect(found).toHaveLength(1);
    expect(found[0]!.stoppedAt).toBe(stoppedAt);
  });

  test('an event of an unknown server is acknowledged and ignored', async () => {
    const form = plexWebhook('media.play', { user: 'erin', ratingKey: '77', title: 'Elsewhere' });
    const payload = JSON.parse(form.get('payload') as string) as Record<string, unknown>;
    form.set('payload', JSON.stringify({ ...payload, Server: { uuid: 'someone-else', title: 'x' } }));
    const res = await postWebhook('plex', form);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, ignored: 'unknown_server' });
    expect((await plays('?q=Elsewhere')).plays).toHaveLength(0);
  });
});

describe('scope and export', () => {
  test('a viewer allowed one (server, user) pair sees only those plays in the page, the API and the export', async () => {
    const base = { serverName: 'plex box', mediaType: 'movie', source: 'import' as const, startedAt: new Date('2026-01-05T20:00:00Z'), lastSeenAt: new Date('2026-01-05T21:00:00Z'), stoppedAt: new Date('2026-01-05T21:00:00Z') };
    await db.play.createMany({
      data: [
        { ...base, serverId: ids.plex, mediaUserId: 'frank-id', mediaUser: 'frank', title: 'Frank Allowed' },
        { ...base, serverId: ids.plex, mediaUserId: 'gina-id', mediaUser: 'gina', title: 'Gina Hidden' },
        // Same name on another server: a name alone would leak this one.
        { ...base, serverId: ids.jellyfin, serverName: 'jellyfin box', mediaUserId: 'frank-other', mediaUser: 'frank', title: 'Other Frank Hidden' },
      ],
    });
    const viewer = await createUser({ role: 'viewer', mediaUsers: [`${ids.plex}:frank-id`] });
    const cookie = await sessionCookie(viewer);
    const seen = (await plays('?limit=500', cookie)).plays.map((p) => p.title);
    expect(seen).toEqual(['Frank Allowed']);

    const csv = await api('/api/history/export?format=csv', cookie);
    expect(csv.status).toBe(200);
    const rows = parseCsv(csv.text, { columns: true }) as Record<string, string>[];
    expect(rows.map((r) => r.title)).toEqual(['Frank Allowed']);

    const page = await api('/history', cookie);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Frank Allowed');
    expect(page.text).not.toContain('Gina Hidden');
    expect(page.text).not.toContain('Other Frank Hidden');

    const hidden = await db.play.findFirstOrThrow({ where: { title: 'Gina Hidden' } });
    expect((await api(`/api/history/${hidden.id}`, cookie)).status).toBe(404);
  });

  test('CSV round-trips commas, quotes, newlines, formula starts and non-ASCII; JSON and NDJSON are valid', async () => {
    const titles = ['Comma, here', 'Say "hi"', 'Line\nbreak', '=HYPERLINK("x")', '+1 plus', '-minus', '@at', 'Amélie 東京 🎬', '\ttab', 'CR\r\nLF "and" quotes,'];
    await db.play.createMany({
      data: titles.map((title, i) => ({
        serverId: ids.plex, serverName: 'plex box', mediaType: 'movie', source: 'import' as const, title, mediaUser: 'csv-user',
        startedAt: new Date(Date.UTC(2025, 5, 1, 12, i)), lastSeenAt: new Date(Date.UTC(2025, 5, 1, 13)), stoppedAt: new Date(Date.UTC(2025, 5, 1, 13)),
        // Cells of every type: empty and formula-looking text, null/true/false, fractions, -0.
        grandparentTitle: i % 3 === 0 ? null : i % 3 === 1 ? '' : '-Show', library: i % 2 ? '\rLib' : 'Films', isLocal: i % 3 === 0 ? null : i % 3 === 1,
        progressPct: [null, 12.5, 0.1 + 0.2, -0, 100, 33.3][i % 6], parentIndex: i % 2 ? i : null, durationS: 3600 + i, pausedS: i, watchedS: 60 * i,
      })),
    });
    const q = 'mediaUser=csv-user&from=2025-06-01&to=2025-06-01&order=asc';
    const csv = await api(`/api/history/export?format=csv&${q}`);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    // Sent as PostgreSQL writes it: gzip in the web process would be the export's bottleneck.
    expect(csv.headers.get('content-encoding')).toBeNull();
    expect(csv.headers.get('content-disposition')).toContain('marquee-history-2025-06-01_to_2025-06-01.csv');
    expect(csv.text.split('\r\n')[0]).toBe('id,serverId,serverName,mediaUser,title,grandparentTitle,parentIndex,index,mediaType,startedAt,stoppedAt,pausedS,watchedS,durationS,progressPct,completed,decision,player,platform,product,ipAddress,isLocal,library,source');
    const rows = parseCsv(csv.text, { columns: true }) as Record<string, string>[];
    const neutral = (t: string) => (/^[=+\-@\t\r]/.test(t) ? `'${t}` : t);
    expect(rows.map((r) => r.title)).toEqual(titles.map(neutral));

    const j = await api<Play[]>(`/api/history/export?format=json&${q}`);
    expect(j.body.map((p) => p.title)).toEqual(titles);
    // The CSV cells PostgreSQL builds are exactly what lib/http/csv.ts writes for the same plays.
    expect(csv.text).toBe(csvRow(PLAY_FIELDS) + j.body.map((p) => csvRow(PLAY_FIELDS.map((f) => (p as unknown as Record<string, unknown>)[f]))).join(''));
    const nd = await api(`/api/history/export?format=ndjson&${q}`);
    expect(nd.text.trim().split('\n').map((l) => (JSON.parse(l) as Play).title)).toEqual(titles);
    const audit = await db.auditLog.findFirst({ where: { action: 'history.exported' } });
    expect(audit).not.toBeNull();
  });

  test('cursor pages walk every play once', async () => {
    const first = await plays('?limit=3');
    expect(first.plays).toHaveLength(3);
    const second = await plays(`?limit=3&cursor=${first.nextCursor}`);
    const ids1 = new Set(first.plays.map((p) => p.id));
    expect(second.plays.some((p) => ids1.has(p.id))).toBe(false);
    expect(second.plays[0]!.id).not.toBe(first.plays[2]!.id);
  });
});

describe('history survives its server', () => {
  test('deleting a server keeps its plays', async () => {
    const before = (await plays(`?serverId=${ids.jellyfin}&limit=500`)).plays.length;
    expect(before).toBeGreaterThan(0);
    await deleteServer(systemActor('test'), ids.jellyfin, { ip: null, userAgent: null });
    const after = (await plays(`?serverId=${ids.jellyfin}&limit=500`)).plays;
    expect(after).toHaveLength(before);
    expect(after[0]!.serverName).toBe('jellyfin box');
  });
});

describe('export downloads', () => {
  test('a cancelled CSV download ends its COPY and gives back its database connection', async () => {
    // Far more than the socket buffers hold, so the COPY is still running when the client goes away.
    await db.$executeRaw`
      INSERT INTO "Play" ("id", "serverId", "serverName", "mediaUser", "title", "mediaType", "startedAt", "stoppedAt", "lastSeenAt", "source")
      SELECT 'bulk-' || i, ${ids.plex}, 'plex box', 'bulk-user', 'Bulk title ' || i || repeat('x', 200), 'movie',
        timestamp '2024-01-01' + make_interval(secs => i), timestamp '2024-01-01' + make_interval(secs => i + 60), timestamp '2024-01-01', 'import'
      FROM generate_series(1, 200000) AS i`;
    const copyPids = async () =>
      (await db.$queryRaw<{ pid: number }[]>`SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'COPY (SELECT%' AND state = 'active'`).map((r) => r.pid);
    try {
      const abort = new AbortController();
      const res = await fetch(`${web.url}/api/history/export?format=csv&mediaUser=bulk-user`, { headers: { cookie: adminCookie }, signal: abort.signal });
      expect(res.status).toBe(200);
      const reader = res.body!.getReader();
      let received = 0;
      while (received < 256 * 1024) received += (await reader.read()).value!.byteLength;
      const running = await copyPids();
      expect(running).toHaveLength(1);
      abort.abort();

      // The backend that ran the COPY is gone (closed, not parked idle in a pool with the COPY half sent).
      let left = running;
      for (let i = 0; i < 100 && left.length; i++) {
        await new Promise((r) => setTimeout(r, 100));
        left = (await db.$queryRaw<{ pid: number }[]>`SELECT pid FROM pg_stat_activity WHERE pid = ${running[0]}`).map((r) => r.pid);
      }
      expect(left).toEqual([]);

      // And the web process still exports (its pool was not left holding a dead connection).
      const again = await api('/api/history/export?format=csv&mediaUser=bulk-user&from=2024-01-01T00:00:01Z&to=2024-01-01T00:00:05Z');
      expect(again.status).toBe(200);
      expect(parseCsv(again.text, { columns: true })).toHaveLength(5);
    } finally {
      await db.$executeRaw`DELETE FROM "Play" WHERE "mediaUser" = 'bulk-user'`;
    }
  });
});
