// Autoscan end to end over real HTTP: Marquee's web server (scripts/web-server.ts) receives the
// *arr webhooks, a pg-boss worker in this process routes and runs the scans, and the fake Plex and
// Jellyfin record the scan calls they get.
import PgBoss from 'pg-boss';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { db } from '@/lib/db';
import { systemActor } from '@/lib/auth/actor';
import { jobs } from '@/lib/jobs/definitions';
import { createJobRunner, type JobRunner } from '@/lib/jobs/runner';
import { createServer, syncServerDirectory } from '@/lib/servers';
import { getOrCreateWebhookSecret } from '@/lib/webhooks';
import { runScanIntake, runScanJob, runScanSweep } from '@/workers/scans';
import { FakeJellyfin, FakePlex } from '../fakes';
import { apiToken, createUser } from '../helpers/auth';
import { startWebServer, type WebServer } from '../helpers/web-server';

const SYSTEM = systemActor('scans-test');
const fixture = (dir: string, name: string) => JSON.parse(readFileSync(join(process.cwd(), 'tests/fixtures', dir, name), 'utf8')) as Record<string, unknown>;

let web: WebServer;
let worker: PgBoss;
let runner: JobRunner;
let plex: FakePlex;
let jelly: FakeJellyfin;
let plexId: string;
let jellyId: string;
let secret: string;
let adminToken: string;

interface ScanOut {
  id: string;
  path: string;
  sourcePath: string;
  serverId: string | null;
  status: string;
  attempts: number;
  error?: string;
  method: string | null;
  requestCount: number;
  libraryKey: string | null;
}

async function hook(source: string, body: unknown, opts: { token?: string | null; raw?: string; basic?: string } = {}) {
  const token = opts.token === undefined ? secret : opts.token;
  const url = `${web.url}/api/webhooks/${source}${token ? `?token=${encodeURIComponent(token)}` : ''}`;
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (opts.basic) headers.authorization = `Basic ${Buffer.from(`sonarr:${opts.basic}`).toString('base64')}`;
  return fetch(url, { method: 'POST', headers, body: opts.raw ?? JSON.stringify(body) });
}

async function api(path: string, init: RequestInit = {}) {
  return fetch(`${web.url}${path}`, { ...init, headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json', ...(init.headers ?? {}) } });
}

async function scans(query = ''): Promise<ScanOut[]> {
  const res = await api(`/api/scans?limit=1000${query}`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { scans: ScanOut[] }).scans;
}

async function until<T>(what: string, fn: () => Promise<T | null | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < end) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}

const plexScans = () => plex.callsOf('scan');
const jellyScans = () => jelly.callsOf('scan');

beforeAll(async () => {
  plex = new FakePlex();
  jelly = new FakeJellyfin();
  await Promise.all([plex.listen(), jelly.listen()]);
  plexId = (await createServer(SYSTEM, { type: 'plex', name: 'Plex', url: plex.url, token: plex.token })).id;
  jellyId = (await createServer(SYSTEM, { type: 'jellyfin', name: 'Jellyfin', url: jelly.url, token: jelly.token })).id;
  await syncServerDirectory(SYSTEM, plexId);
  await syncServerDirectory(SYSTEM, jellyId);
  // Sonarr's /volume2/Media/TV Series is /storage/tvshows on Plex and /data/tv on Jellyfin.
  await db.pathMapping.createMany({
    data: [
      { position: 0, kind: 'prefix', from: '/volume2/Media/TV Series', to: '/storage/tvshows', serverId: plexId },
      { position: 1, kind: 'prefix', from: '/volume2/Media/TV Series', to: '/data/tv', serverId: jellyId },
      { position: 2, kind: 'regex', from: '^/TV/(.*)$', to: '/storage/tvshows/$1', serverId: plexId },
    ],
  });
  await db.scanSettings.create({ data: { id: 'default', debounceS: 1, retryBaseS: 1, retryMaxS: 4, maxAttempts: 3 } });
  secret = await getOrCreateWebhookSecret();
  const admin = await createUser({ role: 'admin' });
  adminToken = await apiToken(admin);

  worker = new PgBoss({ connectionString: process.env.DATABASE_URL!, max: 4 } as PgBoss.ConstructorOptions);
  worker.on('error', () => {});
  await worker.start();
  runner = createJobRunner(worker);
  await runner.register(jobs.scanIntake, runScanIntake, { pollingIntervalSeconds: 0.5 });
  await runner.register(jobs.scanRun, runScanJob, { pollingIntervalSeconds: 0.5 });
  await runner.register(jobs.scanSweep, runScanSweep);

  web = await startWebServer({ MEDIA_SERVER_TIMEOUT_MS: '1500' }, { readyPath: '/api/health' });
}, 360_000);

afterAll(async () => {
  await runner?.stop();
  await worker?.stop({ graceful: false, wait: true });
  await web?.stop();
  await Promise.all([plex?.close(), jelly?.close()]);
});

describe('webhook receiver', () => {
  test('Test → 200 { ok: true } and nothing queued', async () => {
    const before = await db.scan.count();
    const res = await hook('sonarr', fixture('sonarr', 'test_SYNTHESIZED.json'));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
    expect(await db.scan.count()).toBe(before);
  });

  test('bad or missing secret → 401; the secret as the Basic password works', async () => {
    expect((await hook('sonarr', fixture('sonarr', 'test_SYNTHESIZED.json'), { token: 'wrong' })).status).toBe(401);
    const none = await hook('sonarr', fixture('sonarr', 'test_SYNTHESIZED.json'), { token: null });
    expect(none.status).toBe(401);
    expect(((await none.json()) as { error: { code: string } }).error.code).toBe('invalid_webhook_secret');
    expect((await hook('sonarr', fixture('sonarr', 'test_SYNTHESIZED.json'), { token: null, basic: secret })).status).toBe(200);
  });

  test('limits: 2 MB → 413, 11 levels → 400, malformed → 400; Grab and unknown events → 200 ignored', async () => {
    const big = JSON.stringify({ eventType: 'Download', pad: 'x'.repeat(2 * 1024 * 1024) });
    const tooBig = await hook('sonarr', null, { raw: big });
    expect(tooBig.status).toBe(413);
    expect(((await tooBig.json()) as { error: { code: string } }).error.code).toBe('payload_too_large');
    expect((await hook('sonarr', null, { raw: `${'['.repeat(11)}${']'.repeat(11)}` })).status).toBe(400);
    expect((await hook('sonarr', null, { raw: '{"eventType": "Download",' })).status).toBe(400);
    const grab = await hook('sonarr', fixture('sonarr', 'grab_SYNTHESIZED.json'));
    expect([grab.status, await grab.json()]).toEqual([200, { ok: true, ignored: 'Grab' }]);
    const unknown = await hook('radarr', { eventType: 'BrandNewThing' });
    expect([unknown.status, await unknown.json()]).toEqual([200, { ok: true, ignored: 'BrandNewThing' }]);
    expect((await hook('plexish', fixture('sonarr', 'test_SYNTHESIZED.json'))).status).toBe(404);
  });
});

describe('scans', () => {
  test('a Sonarr v4 import complete with three files in one season → one Plex partial scan and one Jellyfin Media/Updated', async () => {
    const body = fixture('sonarr', 'download_import_complete.json') as { episodeFiles: Record<string, unknown>[] };
    const first = body.episodeFiles[0]!;
    body.episodeFiles = [1, 2, 3].map((n) => ({ ...first, id: 9000 + n, relativePath: `Season 2/Your.Honor.S02E0${n}.DVDRip.x264-TABULARiA.mkv` }));
    const p0 = plexScans().length;
    const j0 = jellyScans().length;
    const res = await hook('sonarr', body);
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ queued: 1 });
    // Persisted before the answer: visible at once, even before the worker routed it.
    expect((await scans()).some((s) => s.sourcePath === '/volume2/Media/TV Series/Your Honor/Season 2')).toBe(true);

    await until('both scans done', async () => {
      const rows = (await scans()).filter((s) => s.sourcePath === '/volume2/Media/TV Series/Your Honor/Season 2');
      return rows.length === 2 && rows.every((s) => s.status === 'done') && rows;
    });
    await new Promise((r) => setTimeout(r, 1500)); // no second scan sneaks in
    expect(plexScans().slice(p0).map((c) => [c.libraryId, c.path, (c.body as { call: string }).call])).toEqual([['2', '/storage/tvshows/Your Honor/Season 2', 'partial']]);
    expect(jellyScans().slice(j0).map((c) => [c.path, (c.body as { call: string }).call])).toEqual([['/data/tv/Your Honor/Season 2', 'media-updated']]);
    const rows = (await scans()).filter((s) => s.sourcePath === '/volume2/Media/TV Series/Your Honor/Season 2');
    expect(rows.map((r) => r.method).sort()).toEqual(['media-updated', 'plex-partial-refresh']);
  });

  test('the same folder three times within the debounce window → one scan per target', async () => {
    const p0 = plexScans().length;
    for (let i = 0; i < 3; i++) expect((await hook('sonarr', fixture('sonarr', 'download.json'))).status).toBe(202);
    const folder = '/volume2/Media/TV Series/Avatar - The Last Airbender/Season 2';
    const rows = await until('scans done', async () => {
      const r = (await scans()).filter((s) => s.sourcePath === folder);
      return r.length === 2 && r.every((s) => s.status === 'done') && r;
    });
    expect(rows.map((r) => r.requestCount)).toEqual([3, 3]);
    expect(plexScans().slice(p0).filter((c) => c.path === '/storage/tvshows/Avatar - The Last Airbender/Season 2')).toHaveLength(1);
  });

  test('Rename scans the old and the new folders', async () => {
    const p0 = plexScans().length;
    expect((await hook('sonarr', fixture('sonarr', 'rename_autoscan_subset.json'))).status).toBe(202);
    await until('four rename scans on Plex', async () => plexScans().length - p0 >= 4);
    expect(plexScans().slice(p0).map((c) => c.path).sort()).toEqual([
      '/storage/tvshows/Westworld [imdb:tt0475784]/Season 1',
      '/storage/tvshows/Westworld [imdb:tt0475784]/Season 2',
      '/storage/tvshows/Westworld/Season 1',
      '/storage/tvshows/Westworld/Season 2',
    ]);
  });

  test('a path outside every library → a skipped row with the reason', async () => {
    expect((await hook('radarr', fixture('radarr', 'download.json'))).status).toBe(202);
    const rows = await until('skipped rows', async () => {
      const r = (await scans('&status=skipped')).filter((s) => s.sourcePath === '/volume2/Media/Movies/Spirited Away (2001)');
      return r.length === 2 && r;
    });
    expect(rows.map((r) => r.error).join('\n')).toMatch(/\/volume2\/Media\/Movies\/Spirited Away \(2001\) is not inside any library folder of Plex \(\/storage\/movies/);
  });

  test('Jellyfin refusing Media/Updated → a library refresh, recorded as such', async () => {
    jelly.refuseMediaUpdated = true;
    try {
      const j0 = jellyScans().length;
      expect((await hook('sonarr', fixture('sonarr', 'episode_file_delete.json'))).status).toBe(202);
      const row = await until('jellyfin scan done', async () => (await scans()).find((s) => s.serverId === jellyId && s.sourcePath === '/volume2/Media/TV Series/The New Pope' && s.status === 'done'));
      expect(row.method).toBe('library-refresh');
      expect(jellyScans().slice(j0).map((c) => (c.body as { call: string }).call)).toEqual(['library-refresh']);
    } finally {
      jelly.refuseMediaUpdated = false;
    }
  });

  test('Plex offline for 30 s: the scan keeps retrying and lands when Plex returns', async () => {
    plex.setOffline(true);
    const p0 = plexScans().length;
    expect((await hook('sonarr', fixture('sonarr', 'series_delete.json'))).status).toBe(202);
    const folder = '/volume2/Media/TV Series/Mountain Monsters';
    await until('retrying', async () => (await scans()).find((s) => s.serverId === plexId && s.sourcePath === folder && s.status === 'retrying' && s.attempts >= 2), 20_000);
    await new Promise((r) => setTimeout(r, 30_000 - 5_000));
    const during = (await scans()).find((s) => s.serverId === plexId && s.sourcePath === folder)!;
    // More attempts than maxAttempts (3): an outage never fails a scan.
    expect(during.status === 'retrying' || during.status === 'scanning').toBe(true);
    expect(during.attempts).toBeGreaterThan(3);
    expect(during.error).toMatch(/reach|answer/i);
    plex.setOffline(false);
    const done = await until('done after Plex returned', async () => (await scans()).find((s) => s.serverId === plexId && s.sourcePath === folder && s.status === 'done'), 20_000);
    expect(done.attempts).toBeGreaterThan(3);
    expect(plexScans().slice(p0).map((c) => c.path)).toEqual(['/storage/tvshows/Mountain Monsters']);
  }, 90_000);
});

describe('manual scans and path mappings', () => {
  test('POST /api/scans: 202 for a library folder; 422 outside every library, relative or with ..', async () => {
    const ok = await api('/api/scans', { method: 'POST', body: JSON.stringify({ path: '/storage/movies/Heat (1995)/Heat.mkv', serverIds: [plexId] }) });
    expect(ok.status).toBe(202);
    expect(await ok.json()).toEqual({ queued: 1 });
    await until('manual scan done', async () => (await scans('&source=manual')).find((s) => s.path === '/storage/movies/Heat (1995)' && s.status === 'done'));
    for (const path of ['/nowhere/x', 'storage/movies', '/storage/movies/../../etc']) {
      const res = await api('/api/scans', { method: 'POST', body: JSON.stringify({ path }) });
      expect(res.status).toBe(422);
    }
  });

  test('deleting a mapping changes the next resolution', async () => {
    const created = await api('/api/path-mappings', { method: 'POST', body: JSON.stringify({ from: '/arr/movies', to: '/storage/movies', kind: 'prefix', serverId: plexId }) });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const probe = async () => {
      const res = await api('/api/path-mappings/test', { method: 'POST', body: JSON.stringify({ path: '/arr/movies/Heat (1995)' }) });
      expect(res.status).toBe(200);
      return ((await res.json()) as { targets: { serverId: string; mappedPath: string; libraries: { name: string }[]; reason: string | null }[] }).targets.find((t) => t.serverId === plexId)!;
    };
    expect(await probe()).toMatchObject({ mappedPath: '/storage/movies/Heat (1995)', libraries: [{ name: 'Movies' }], reason: null });
    expect((await api(`/api/path-mappings/${id}`, { method: 'DELETE' })).status).toBe(204);
    const after = await probe();
    expect(after.mappedPath).toBe('/arr/movies/Heat (1995)');
    expect(after.libraries).toEqual([]);
    expect(after.reason).toMatch(/not inside any library/);
    const audit = await db.auditLog.findMany({ where: { action: { in: ['path_mapping.create', 'path_mapping.delete'] } } });
    expect(audit).toHaveLength(2);
  });
});
