// Library API: ranked full-text search with filters, visibility by role, favorites (idempotent),
// progress and "continue watching", edit/delete by owner or admin (delete removes files).
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { authHeaders, createUser, type TestUser } from '../helpers/auth';
import { db } from '@/lib/db';
import { buildSearchText } from '@/lib/videos/search-text';
import { publishedDir, sourcePath } from '@/lib/videos/paths';
import * as listRoute from '@/app/api/videos/route';
import * as videoRoute from '@/app/api/videos/[id]/route';
import * as favRoute from '@/app/api/videos/[id]/favorite/route';
import * as progressRoute from '@/app/api/videos/[id]/progress/route';
import * as uploadsRoute from '@/app/api/videos/uploads/route';

const ORIGIN = 'http://localhost:3000';
let owner: TestUser;
let otherUploader: TestUser;
let viewer: TestUser;
let admin: TestUser;
const ids: Record<string, string> = {};

async function seed(key: string, data: { title: string; description?: string; category?: string; tags?: string[]; people?: string[]; durationS?: number; status?: 'ready' | 'processing'; createdAt?: Date }) {
  const v = await db.video.create({
    data: {
      ownerId: owner.id,
      title: data.title,
      description: data.description ?? '',
      category: data.category ?? null,
      tags: data.tags ?? [],
      people: data.people ?? [],
      searchText: buildSearchText(data),
      status: data.status ?? 'ready',
      sha256: randomBytes(32).toString('hex'),
      sizeBytes: 1000n,
      container: 'mp4',
      durationS: data.durationS ?? 60,
      createdAt: data.createdAt,
    },
  });
  ids[key] = v.id;
}

async function list(user: TestUser, qs: string) {
  const res = await listRoute.GET(new Request(`${ORIGIN}/api/videos?${qs}`, { headers: await authHeaders(user) }), { params: Promise.resolve({}) });
  expect(res.status).toBe(200);
  return (await res.json()) as { total: number; items: { id: string; title: string; favorite: boolean; positionS: number | null }[] };
}
const ctx = (id: string) => ({ params: Promise.resolve({ id }) });

beforeAll(async () => {
  owner = await createUser({ role: 'uploader' });
  otherUploader = await createUser({ role: 'uploader' });
  viewer = await createUser({ role: 'viewer' });
  admin = await createUser({ role: 'admin' });
  await seed('ocean', { title: 'Ocean documentary', description: 'Whales and coral reefs', category: 'Nature', tags: ['sea', 'wildlife'], people: ['Ada Diver'], durationS: 3000, createdAt: new Date('2026-01-10') });
  await seed('reef', { title: 'Cooking at home', description: 'A dish inspired by the ocean', category: 'Food', tags: ['kitchen'], people: ['Chef Bo'], durationS: 600, createdAt: new Date('2026-03-01') });
  await seed('city', { title: 'City at night', category: 'Travel', tags: ['urban', 'sea'], people: ['Ada Diver'], durationS: 120, createdAt: new Date('2026-05-01') });
  await seed('draft', { title: 'Ocean draft', status: 'processing' });
});

describe('search and filters', () => {
  it('ranks title matches above description matches', async () => {
    const r = await list(viewer, 'q=ocean');
    expect(r.items.map((i) => i.id)).toEqual([ids.ocean, ids.reef]); // the processing draft is hidden from viewers
    const mine = await list(owner, 'q=ocean');
    expect(mine.items.map((i) => i.id)).toContain(ids.draft);
  });
  it('searches tags, people and category, and filters by category, tags, people, duration and dates', async () => {
    expect((await list(viewer, 'q=wildlife')).items.map((i) => i.id)).toEqual([ids.ocean]);
    expect((await list(viewer, 'q=Chef')).items.map((i) => i.id)).toEqual([ids.reef]);
    expect((await list(viewer, 'q=travel')).items.map((i) => i.id)).toEqual([ids.city]);
    expect((await list(viewer, 'category=nature')).items.map((i) => i.id)).toEqual([ids.ocean]);
    expect((await list(viewer, 'tags=sea&sort=title')).items.map((i) => i.id)).toEqual([ids.city, ids.ocean]);
    expect((await list(viewer, 'people=Ada%20Diver&sort=oldest')).items.map((i) => i.id)).toEqual([ids.ocean, ids.city]);
    expect((await list(viewer, 'minDuration=500&maxDuration=1000')).items.map((i) => i.id)).toEqual([ids.reef]);
    expect((await list(viewer, 'from=2026-02-01&to=2026-04-01')).items.map((i) => i.id)).toEqual([ids.reef]);
    const page = await list(viewer, 'pageSize=2&page=2&sort=oldest');
    expect(page.total).toBe(3);
    expect(page.items.map((i) => i.id)).toEqual([ids.city]);
  });
});

describe('bad input', () => {
  it('answers 400, not 500, for text PostgreSQL cannot store (a NUL character) in a query, a body or a path', async () => {
    const h = await authHeaders(owner);
    for (const qs of ['q=sea%00', 'category=%00', 'tags=a%00b']) {
      const res = await listRoute.GET(new Request(`${ORIGIN}/api/videos?${qs}`, { headers: h }), { params: Promise.resolve({}) });
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({ error: { code: 'bad_request', message: expect.stringMatching(/NUL/) } });
    }
    const created = await uploadsRoute.POST(
      new Request(`${ORIGIN}/api/videos/uploads`, { method: 'POST', headers: { ...h, 'content-type': 'application/json' }, body: JSON.stringify({ title: 'a\u0000b', sizeBytes: 10 }) }),
      { params: Promise.resolve({}) },
    );
    expect(created.status).toBe(400);
    const view = await videoRoute.GET(new Request(`${ORIGIN}/x`, { headers: h }), ctx('a\u0000'));
    expect(view.status).toBe(400);
  });
});

describe('favorites and progress', () => {
  it('adds and removes favorites idempotently and lists them', async () => {
    for (let i = 0; i < 2; i++) {
      const res = await favRoute.PUT(new Request(`${ORIGIN}/x`, { method: 'PUT', headers: await authHeaders(viewer) }), ctx(ids.city!));
      expect(await res.json()).toEqual({ favorite: true });
    }
    expect((await list(viewer, 'view=favorites')).items.map((i) => i.id)).toEqual([ids.city]);
    for (let i = 0; i < 2; i++) {
      const res = await favRoute.DELETE(new Request(`${ORIGIN}/x`, { method: 'DELETE', headers: await authHeaders(viewer) }), ctx(ids.city!));
      expect(await res.json()).toEqual({ favorite: false });
    }
    expect((await list(viewer, 'view=favorites')).total).toBe(0);
  });
  it('saves progress and lists the video under continue watching', async () => {
    const put = await progressRoute.PUT(
      new Request(`${ORIGIN}/x`, { method: 'PUT', headers: { ...(await authHeaders(viewer)), 'content-type': 'application/json' }, body: JSON.stringify({ positionS: 42.5 }) }),
      ctx(ids.ocean!),
    );
    expect(await put.json()).toEqual({ positionS: 42.5 });
    const cont = await list(viewer, 'view=continue');
    expect(cont.items).toEqual([expect.objectContaining({ id: ids.ocean, positionS: 42.5 })]);
    const get = await videoRoute.GET(new Request(`${ORIGIN}/x`, { headers: await authHeaders(viewer) }), ctx(ids.ocean!));
    expect(await get.json()).toMatchObject({ positionS: 42.5, status: 'ready', renditions: [] });

    // Most recently watched first, paginated.
    await progressRoute.PUT(
      new Request(`${ORIGIN}/x`, { method: 'PUT', headers: { ...(await authHeaders(viewer)), 'content-type': 'application/json' }, body: JSON.stringify({ positionS: 12 }) }),
      ctx(ids.city!),
    );
    const both = await list(viewer, 'view=continue');
    expect(both.total).toBe(2);
    expect(both.items.map((v) => v.id)).toEqual([ids.city, ids.ocean]);
    expect((await list(viewer, 'view=continue&pageSize=1&page=2')).items.map((v) => v.id)).toEqual([ids.ocean]);
  });
});

describe('edit and delete', () => {
  const patch = async (user: TestUser, id: string, body: unknown) =>
    videoRoute.PATCH(new Request(`${ORIGIN}/x`, { method: 'PATCH', headers: { ...(await authHeaders(user)), 'content-type': 'application/json' }, body: JSON.stringify(body) }), ctx(id));

  it('lets the owner and admins edit, not other users', async () => {
    expect((await patch(viewer, ids.city!, { title: 'Hacked' })).status).toBe(403);
    expect((await patch(otherUploader, ids.city!, { title: 'Hacked' })).status).toBe(403);
    const ok = await patch(owner, ids.city!, { title: 'City lights', tags: ['neon'] });
    expect(ok.status).toBe(200);
    expect((await list(viewer, 'q=neon')).items.map((i) => i.title)).toEqual(['City lights']);
    expect((await patch(admin, ids.city!, { category: 'Urban' })).status).toBe(200);
    const audit = await db.auditLog.findMany({ where: { action: 'video.update', targetId: ids.city } });
    expect(audit).toHaveLength(2);
  });

  it('deletes the video and its files', async () => {
    const id = ids.reef!;
    fs.mkdirSync(publishedDir(id), { recursive: true });
    fs.writeFileSync(path.join(publishedDir(id), 'master.m3u8'), '#EXTM3U\n');
    fs.mkdirSync(path.dirname(sourcePath(id)), { recursive: true });
    fs.writeFileSync(sourcePath(id), 'x');
    const denied = await videoRoute.DELETE(new Request(`${ORIGIN}/x`, { method: 'DELETE', headers: await authHeaders(otherUploader) }), ctx(id));
    expect(denied.status).toBe(403);
    const res = await videoRoute.DELETE(new Request(`${ORIGIN}/x`, { method: 'DELETE', headers: await authHeaders(owner) }), ctx(id));
    expect(res.status).toBe(204);
    expect(await db.video.findUnique({ where: { id } })).toBeNull();
    expect(fs.existsSync(publishedDir(id))).toBe(false);
    expect(fs.existsSync(sourcePath(id))).toBe(false);
  });
});

describe('transcode failure and retry', () => {
  it('records the reason when the source cannot be transcoded, and the owner can retry', async () => {
    const { transcodeVideo: processVideo } = await import('@/lib/videos/transcode-video');
    const retryRoute = await import('@/app/api/videos/[id]/retry/route');
    const { getBoss, stopBoss } = await import('@/lib/jobs/boss');
    const { TRANSCODE_QUEUE } = await import('@/lib/videos/jobs');
    await seed('broken', { title: 'Broken source', status: 'processing' });
    const id = ids.broken!;
    fs.mkdirSync(path.dirname(sourcePath(id)), { recursive: true });
    fs.writeFileSync(sourcePath(id), Buffer.concat([Buffer.from([0, 0, 0, 0x20]), Buffer.from('ftypisom'), randomBytes(5000)]));
    await expect(processVideo(id)).rejects.toThrow();
    const failed = await db.video.findUniqueOrThrow({ where: { id } });
    expect(failed.status).toBe('failed');
    expect(failed.failureReason).toMatch(/not a playable video/);
    // ffprobe named the source by its path on our disk: the owner sees the reason without it.
    expect(failed.failureReason).not.toContain(process.env.DATA_DIR!);
    expect(failed.failureReason).not.toMatch(/\/|\.bin/);
    expect(fs.existsSync(publishedDir(id))).toBe(false);

    const view = await videoRoute.GET(new Request(`${ORIGIN}/x`, { headers: await authHeaders(owner) }), ctx(id));
    expect(await view.json()).toMatchObject({ status: 'failed', failureReason: expect.stringMatching(/not a playable video/) });

    const denied = await retryRoute.POST(new Request(`${ORIGIN}/x`, { method: 'POST', headers: await authHeaders(otherUploader) }), ctx(id));
    expect(denied.status).toBe(404);
    const res = await retryRoute.POST(new Request(`${ORIGIN}/x`, { method: 'POST', headers: await authHeaders(owner) }), ctx(id));
    expect(res.status).toBe(202);
    expect((await db.video.findUniqueOrThrow({ where: { id } })).status).toBe('pending');
    const [job] = await (await getBoss()).fetch<{ videoId: string }>(TRANSCODE_QUEUE);
    expect(job?.data).toEqual({ videoId: id });
    await stopBoss();
  });
});

describe('FFmpeg failure reason', () => {
  it('stores the reason FFmpeg gave', async () => {
    const { transcodeVideo: processVideo } = await import('@/lib/videos/transcode-video');
    const { makeClip, mediaDir } = await import('./videos-helpers');
    await seed('badpreset', { title: 'Bad preset', status: 'processing' });
    const id = ids.badpreset!;
    fs.mkdirSync(path.dirname(sourcePath(id)), { recursive: true });
    fs.copyFileSync(makeClip('tiny.mp4', { seconds: 1, size: '320x240' }), sourcePath(id));
    await expect(processVideo(id, { preset: 'no-such-preset' })).rejects.toThrow(/FFmpeg failed/);
    const v = await db.video.findUniqueOrThrow({ where: { id } });
    expect(v.status).toBe('failed');
    expect(v.failureReason).toMatch(/^FFmpeg failed: .*(preset|Error)/i);
    expect(v.failureReason).not.toContain(process.env.DATA_DIR!);
    expect(v.failureReason).not.toMatch(/0x[0-9a-f]{4,}/);
    expect(fs.readdirSync(path.join(process.env.DATA_DIR!, 'videos', 'work'))).toEqual([]);
    fs.rmSync(mediaDir, { recursive: true, force: true });
  });
});

describe('upload size limit', () => {
  it('refuses a body over the configured limit with 413 and keeps nothing', async () => {
    const { receiveMultipart } = await import('@/lib/videos/multipart');
    const form = new FormData();
    form.set('title', 'Too big');
    form.set('file', new Blob([randomBytes(64 * 1024)]), 'big.mp4');
    const req = new Request(`${ORIGIN}/api/videos`, { method: 'POST', body: form });
    await expect(receiveMultipart(req, 10_000)).rejects.toMatchObject({ status: 413, code: 'payload_too_large' });
    const dir = path.join(process.env.DATA_DIR!, 'uploads');
    await new Promise((r) => setTimeout(r, 50));
    expect(fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.startsWith('tmp-')) : []).toEqual([]);
  });
});

describe('search over a big library', () => {
  it('applies filters to every match, not to a top-N of them, and pages through all matches in rank order', async () => {
    const base = Date.parse('2020-01-01');
    const data = Array.from({ length: 1005 }, (_, i) => ({
      ownerId: owner.id,
      title: `Zebra crossing ${i}`,
      category: i < 3 ? 'Rare' : 'Common',
      searchText: buildSearchText({ title: `Zebra crossing ${i}` }),
      status: 'ready' as const,
      sha256: randomBytes(32).toString('hex'),
      sizeBytes: 1000n,
      container: 'mp4',
      durationS: 60,
      createdAt: new Date(base + i * 60_000), // the 3 'Rare' ones are the oldest: last in rank order
    }));
    await db.video.createMany({ data });
    try {
      const rare = await list(viewer, 'q=zebra&category=rare');
      expect(rare.total).toBe(3);
      expect(rare.items.map((i) => i.title)).toEqual(['Zebra crossing 2', 'Zebra crossing 1', 'Zebra crossing 0']);
      const last = await list(viewer, 'q=zebra&pageSize=100&page=11');
      expect(last.total).toBe(1005);
      expect(last.items.map((i) => i.title)).toEqual([4, 3, 2, 1, 0].map((n) => `Zebra crossing ${n}`));
      const seen = new Set<string>();
      for (let page = 1; page <= 11; page++) for (const item of (await list(viewer, `q=zebra&pageSize=100&page=${page}`)).items) seen.add(item.id);
      expect(seen.size).toBe(1005);
    } finally {
      await db.video.deleteMany({ where: { title: { startsWith: 'Zebra crossing' } } });
    }
  });
});
