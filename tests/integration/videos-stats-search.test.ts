// Per-video stats from the player's progress reports (PUT /api/videos/{id}/progress), who may read
// them, "recently watched", and search as people type it (word prefixes, the uploader filter).
import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { authHeaders, createUser, type TestUser } from '../helpers/auth';
import { db } from '@/lib/db';
import { buildSearchText } from '@/lib/videos/search-text';
import * as listRoute from '@/app/api/videos/route';
import * as progressRoute from '@/app/api/videos/[id]/progress/route';
import * as statsRoute from '@/app/api/videos/[id]/stats/route';

const ORIGIN = 'http://localhost:3000';
let owner: TestUser;
let otherUploader: TestUser;
let alice: TestUser;
let bob: TestUser;
let admin: TestUser;

async function seed(ownerId: string, title: string, extra: { durationS?: number; tags?: string[]; status?: 'ready' | 'processing' } = {}) {
  return db.video.create({
    data: {
      ownerId,
      title,
      tags: extra.tags ?? [],
      searchText: buildSearchText({ title, tags: extra.tags }),
      status: extra.status ?? 'ready',
      sha256: randomBytes(32).toString('hex'),
      sizeBytes: 1000n,
      container: 'mp4',
      durationS: extra.durationS ?? 100,
    },
  });
}

const ctx = (id: string) => ({ params: Promise.resolve({ id }) });

async function report(user: TestUser, videoId: string, positionS: number, viewId: string) {
  const res = await progressRoute.PUT(
    new Request(`${ORIGIN}/api/videos/${videoId}/progress`, {
      method: 'PUT',
      headers: { ...(await authHeaders(user)), 'content-type': 'application/json' },
      body: JSON.stringify({ positionS, viewId }),
    }),
    ctx(videoId),
  );
  expect(res.status).toBe(200);
}

/** What the player sends while someone plays from `from` to `to`: a report at the start, then every 5 s. */
async function watch(user: TestUser, videoId: string, viewId: string, from: number, to: number) {
  for (let p = from; p < to; p += 5) await report(user, videoId, p, viewId);
  await report(user, videoId, to, viewId);
}

async function stats(user: TestUser, videoId: string) {
  const res = await statsRoute.GET(new Request(`${ORIGIN}/api/videos/${videoId}/stats`, { headers: await authHeaders(user) }), ctx(videoId));
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function list(user: TestUser, qs: string) {
  const res = await listRoute.GET(new Request(`${ORIGIN}/api/videos?${qs}`, { headers: await authHeaders(user) }), { params: Promise.resolve({}) });
  expect(res.status).toBe(200);
  return (await res.json()) as { total: number; items: { id: string; title: string }[] };
}

beforeAll(async () => {
  owner = await createUser({ role: 'uploader' });
  otherUploader = await createUser({ role: 'uploader' });
  alice = await createUser({ role: 'viewer' });
  bob = await createUser({ role: 'viewer' });
  admin = await createUser({ role: 'admin' });
});

describe('per-video stats', () => {
  it('match what two viewers watched: views, unique viewers, watch time, percent watched, completion buckets, plays per day', async () => {
    const video = await seed(owner.id, 'Stats lecture', { durationS: 100 });
    // Alice watches the whole 100 s in one view, then starts again and stops at 20 s.
    await watch(alice, video.id, 'alice-view-1', 0, 100);
    await watch(alice, video.id, 'alice-view-2', 0, 20);
    // Bob watches 0–30 s, skips to 60 s (a seek, not watched), watches to 75 s, and rewinds to
    // 65 s and plays on to 80 s: 30 + 20 distinct seconds = 50 % of the video.
    await watch(bob, video.id, 'bob-view-1', 0, 30);
    await watch(bob, video.id, 'bob-view-1', 60, 75);
    await watch(bob, video.id, 'bob-view-1', 65, 80);

    const { status, body } = await stats(owner, video.id);
    expect(status).toBe(200);
    expect(body.views).toBe(3);
    expect(body.uniqueViewers).toBe(2);
    expect(body.watchTimeS).toBe(100 + 20 + 50);
    expect(body.avgPercentWatched).toBeCloseTo((100 + 20 + 50) / 3, 1);
    // 100 % → last bucket; 20 % → the 20–30 % bucket; 50 % → the 50–60 % bucket.
    expect(body.completion).toEqual([0, 0, 1, 0, 0, 1, 0, 0, 0, 1]);
    expect(body.playsPerDay).toEqual([{ date: new Date().toISOString().slice(0, 10), plays: 3 }]);

    // Admins read them too; a viewer and another uploader may not (the video is visible: 403).
    expect((await stats(admin, video.id)).body.views).toBe(3);
    expect((await stats(alice, video.id)).status).toBe(403);
    expect((await stats(otherUploader, video.id)).status).toBe(403);
    // Someone else's unfinished video does not exist for them (404), as elsewhere in the library.
    const draft = await seed(owner.id, 'Stats draft', { status: 'processing' });
    expect((await stats(otherUploader, draft.id)).status).toBe(404);
    expect((await stats(owner, draft.id)).status).toBe(200);
  });

  it('counts reports without a viewId within 30 minutes as one view, and an unwatched video has empty stats', async () => {
    const video = await seed(owner.id, 'Beacon clip', { durationS: 40 });
    for (const p of [0, 5, 10]) {
      const res = await progressRoute.POST(
        new Request(`${ORIGIN}/api/videos/${video.id}/progress`, {
          method: 'POST',
          headers: { ...(await authHeaders(bob)), 'content-type': 'application/json' },
          body: JSON.stringify({ positionS: p }),
        }),
        ctx(video.id),
      );
      expect(res.status).toBe(200);
    }
    const s = (await stats(owner, video.id)).body;
    expect(s.views).toBe(1);
    expect(s.watchTimeS).toBe(10);
    const empty = (await stats(owner, (await seed(owner.id, 'Nobody watched')).id)).body;
    expect(empty).toEqual({ views: 0, uniqueViewers: 0, watchTimeS: 0, avgPercentWatched: 0, completion: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0], playsPerDay: [] });
  });

  it('lists what a user watched, most recent first, under recently watched (finished videos included)', async () => {
    const first = await seed(owner.id, 'Recent one');
    const second = await seed(owner.id, 'Recent two', { durationS: 10 });
    const viewer = await createUser({ role: 'viewer' });
    await report(viewer, first.id, 30, 'recent-view-a');
    await report(viewer, second.id, 10, 'recent-view-b'); // watched to the end
    const recent = await list(viewer, 'view=recent');
    expect(recent.items.map((i) => i.id)).toEqual([second.id, first.id]);
    // Continue watching leaves out nothing the user started past 5 s; recent is per user.
    expect((await list(alice, 'view=recent')).items.map((i) => i.id)).not.toContain(first.id);
  });
});

describe('search as people type it', () => {
  it('matches word prefixes, every word of the query, in title and tags', async () => {
    const surgery = await seed(owner.id, 'Surgery basics');
    const suture = await seed(owner.id, 'Suture practice', { tags: ['surgical'] });
    await seed(owner.id, 'Baking bread');
    expect((await list(alice, 'q=surg')).items.map((i) => i.id).sort()).toEqual([surgery.id, suture.id].sort());
    expect((await list(alice, 'q=Surg%20bas')).items.map((i) => i.id)).toEqual([surgery.id]);
    expect((await list(alice, 'q=su')).items.map((i) => i.id)).toEqual(expect.arrayContaining([surgery.id, suture.id]));
    // The title match ranks above the tag match.
    expect((await list(alice, 'q=surg')).items[0]!.id).toBe(surgery.id);
    // A prefix inside a word does not match, and query syntax is just text.
    expect((await list(alice, 'q=urgery')).total).toBe(0);
    expect((await list(alice, `q=${encodeURIComponent("surg:* | !(bak')")}`)).items.map((i) => i.id)).toEqual([]);
    expect((await list(alice, `q=${encodeURIComponent('!!! ::')}`)).total).toBe(0);
  });

  it('filters by uploader, with and without a query', async () => {
    const mine = await seed(owner.id, 'Anatomy atlas one');
    const theirs = await seed(otherUploader.id, 'Anatomy atlas two');
    expect((await list(alice, 'q=anat')).total).toBe(2);
    expect((await list(alice, `q=anat&uploader=${otherUploader.id}`)).items.map((i) => i.id)).toEqual([theirs.id]);
    expect((await list(alice, `q=anat&uploader=${owner.id}`)).items.map((i) => i.id)).toEqual([mine.id]);
    const all = await list(alice, `uploader=${otherUploader.id}`);
    expect(all.items.map((i) => i.id)).toEqual([theirs.id]);
    // The uploader filter does not widen visibility: another's processing video stays hidden.
    await seed(otherUploader.id, 'Anatomy atlas draft', { status: 'processing' });
    expect((await list(owner, `q=anat&uploader=${otherUploader.id}`)).items.map((i) => i.id)).toEqual([theirs.id]);
    expect((await list(otherUploader, `q=anat&uploader=${otherUploader.id}`)).total).toBe(2);
  });
});
