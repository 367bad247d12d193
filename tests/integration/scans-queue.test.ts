// The scan queue's rules against a real PostgreSQL and the fake Plex: the debounce window restarts
// with each request, anchor files pause scanning, rclone gets vfs/refresh first, scheduled rescans
// fire once per due time, and scope/validation of the domain functions.
import http from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { db } from '@/lib/db';
import { systemActor, type UserActor } from '@/lib/auth/actor';
import { createServer, syncServerDirectory } from '@/lib/servers';
import { freePort } from '@/lib/database/embedded';
import { createPathMapping, createScanSchedule, fireDueSchedules, listScans, persistScanRequests, routePendingScans, runScan } from '@/lib/scans';
import { FakePlex } from '../fakes';
import { createUser } from '../helpers/auth';

const SYSTEM = systemActor('scans-queue-test');
let plex: FakePlex;
let plexId: string;
let adminActor: UserActor;

const actorOf = (u: { id: string; email: string; name: string; role: UserActor['role'] }, serverIds: string[] = []): UserActor => ({ kind: 'user', id: u.id, email: u.email, name: u.name, role: u.role, serverIds, mediaUsers: [], timezone: 'UTC', mustChangePassword: false, via: 'session' });

async function routedScan(folder: string) {
  return db.scan.findFirstOrThrow({ where: { sourcePath: folder, routedAt: { not: null } } });
}

beforeAll(async () => {
  plex = new FakePlex();
  await plex.listen();
  plexId = (await createServer(SYSTEM, { type: 'plex', name: 'Plex', url: plex.url, token: plex.token })).id;
  await syncServerDirectory(SYSTEM, plexId);
  adminActor = actorOf(await createUser({ role: 'admin' }));
});
afterAll(async () => {
  await plex.close();
});
beforeEach(async () => {
  await db.scanSettings.upsert({ where: { id: 'default' }, create: { id: 'default', debounceS: 10 }, update: { debounceS: 10, anchorFiles: [], rcloneUrl: null } });
});

describe('debounce', () => {
  test('a second request for the folder merges and restarts the window; the scan waits for it', async () => {
    const folder = '/storage/tvshows/Debounce/Season 1';
    await persistScanRequests([{ source: 'sonarr', folder }]);
    await routePendingScans();
    const first = await routedScan(folder);
    expect(first.dueAt.getTime() - first.requestedAt.getTime()).toBeGreaterThanOrEqual(9_000);
    await new Promise((r) => setTimeout(r, 1200));
    await persistScanRequests([{ source: 'sonarr', folder }]);
    await routePendingScans();
    const merged = await db.scan.findMany({ where: { sourcePath: folder } });
    expect(merged).toHaveLength(1);
    expect(merged[0]!.requestCount).toBe(2);
    expect(merged[0]!.dueAt.getTime()).toBeGreaterThanOrEqual(first.dueAt.getTime() + 1000);
    const calls = plex.callsOf('scan').length;
    expect(await runScan(first.id)).toBe('waiting');
    // Past the window it runs: pretend the clock moved on by 11 s.
    expect(await runScan(first.id, () => new Date(Date.now() + 11_000))).toBe('done');
    expect(plex.callsOf('scan').slice(calls).map((c) => c.path)).toEqual(['/storage/tvshows/Debounce/Season 1']);
  });
});

describe('anchor files and rclone', () => {
  test('a missing anchor file pauses scanning with the reason; the scan runs once it is back', async () => {
    const anchor = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'anchor-')), '.mounted');
    await db.scanSettings.update({ where: { id: 'default' }, data: { debounceS: 0, anchorFiles: [anchor] } });
    const folder = '/storage/movies/Anchored (2020)';
    await persistScanRequests([{ source: 'radarr', folder }]);
    await routePendingScans();
    const scan = await routedScan(folder);
    const calls = plex.callsOf('scan').length;
    expect(await runScan(scan.id)).toBe('paused');
    const paused = await db.scan.findUniqueOrThrow({ where: { id: scan.id } });
    expect(paused.status).toBe('queued');
    expect(paused.error).toContain(`anchor file ${anchor} is missing`);
    expect(plex.callsOf('scan').length).toBe(calls);
    fs.writeFileSync(anchor, '');
    expect(await runScan(scan.id, () => new Date(Date.now() + 31_000))).toBe('done');
    expect(plex.callsOf('scan').length).toBe(calls + 1);
  });

  test('rclone gets vfs/refresh for the folder before the scan', async () => {
    const seen: { path: string; body: string; at: number }[] = [];
    const rc = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        seen.push({ path: req.url ?? '', body, at: Date.now() });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    const port = await freePort();
    await new Promise<void>((r) => rc.listen(port, '127.0.0.1', r));
    try {
      await db.scanSettings.update({ where: { id: 'default' }, data: { debounceS: 0, rcloneUrl: `http://127.0.0.1:${port}`, rcloneRoot: '/storage/' } });
      const folder = '/storage/movies/Rclone (2021)';
      await persistScanRequests([{ source: 'radarr', folder }]);
      await routePendingScans();
      expect(await runScan((await routedScan(folder)).id)).toBe('done');
      expect(seen).toHaveLength(1);
      expect(seen[0]!.path).toBe('/vfs/refresh');
      // Relative to the mount root, as rclone's VFS names it.
      expect(new URLSearchParams(seen[0]!.body).get('dir')).toBe('movies/Rclone (2021)');
      const scanCall = plex.callsOf('scan').find((c) => c.path === folder)!;
      expect(scanCall.at).toBeGreaterThanOrEqual(seen[0]!.at);
    } finally {
      rc.close();
    }
  });
});

describe('scheduled rescans', () => {
  test('a due schedule queues one request and moves to its next run; a second sweep does nothing', async () => {
    const s = await createScanSchedule(adminActor, { path: '/storage/music/Hand tagged', cron: '*/5 * * * *' });
    expect(new Date(s.nextRunAt!).getTime()).toBeGreaterThan(Date.now());
    await db.scanSchedule.update({ where: { id: s.id }, data: { nextRunAt: new Date(Date.now() - 1000) } });
    expect(await fireDueSchedules()).toBe(1);
    expect(await fireDueSchedules()).toBe(0);
    expect(await db.scan.count({ where: { source: 'schedule', sourcePath: '/storage/music/Hand tagged' } })).toBe(1);
    const after = await db.scanSchedule.findUniqueOrThrow({ where: { id: s.id } });
    expect(after.nextRunAt!.getTime()).toBeGreaterThan(Date.now());
    await expect(createScanSchedule(adminActor, { path: '/storage/music', cron: 'every day' })).rejects.toMatchObject({ code: 'invalid_cron', status: 422 });
  });
});

describe('validation and scope', () => {
  test('an invalid regex mapping is refused with 422', async () => {
    await expect(createPathMapping(adminActor, { kind: 'regex', from: '^/tv/(', to: '/x' })).rejects.toMatchObject({ code: 'invalid_mapping', status: 422 });
    await expect(createPathMapping(adminActor, { kind: 'prefix', from: 'relative/path', to: '/x' })).rejects.toMatchObject({ code: 'invalid_mapping' });
  });

  test('staff see the scans of their servers only (and unrouted requests)', async () => {
    const other = await createServer(SYSTEM, { type: 'plex', name: 'Other Plex', url: plex.url, token: plex.token });
    const now = new Date();
    await db.scan.create({ data: { source: 'manual', sourcePath: '/storage/tvshows/Scoped', path: '/storage/tvshows/Scoped', serverId: other.id, status: 'done', routedAt: now } });
    const staff = actorOf(await createUser({ role: 'staff', serverIds: [plexId] }), [plexId]);
    const seen = await listScans(staff, { limit: 1000 });
    expect(seen.scans.some((s) => s.sourcePath === '/storage/tvshows/Scoped')).toBe(false);
    const all = await listScans(adminActor, { limit: 1000 });
    expect(all.scans.some((s) => s.sourcePath === '/storage/tvshows/Scoped')).toBe(true);
  });
});
