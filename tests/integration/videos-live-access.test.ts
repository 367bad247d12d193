// Access to a processing video's growing stream (no FFmpeg: a staging area laid out as the worker
// leaves it): the owner and admins by cookie, anyone holding a playback link minted for them; other
// people get nothing; a segment or key URL can only name an attempt of this video; nothing but the
// playlists, segments and keys is served from the staging area.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { authHeaders, createUser, type TestUser } from '../helpers/auth';
import { db } from '@/lib/db';
import { encryptBytes } from '@/lib/crypto/encryption';
import { liveKeyAad } from '@/lib/videos/keys';
import { workRoot } from '@/lib/videos/paths';
import { sealPlaybackToken } from '@/lib/videos/tokens';
import * as hlsRoute from '@/app/api/videos/[id]/hls/[...path]/route';
import * as videoRoute from '@/app/api/videos/[id]/route';
import { removeAbandonedStreams } from '@/lib/videos/recover';

const ORIGIN = 'http://localhost:3000';
let owner: TestUser;
let viewer: TestUser;
let otherUploader: TestUser;
let admin: TestUser;

async function hls(id: string, rel: string, headers: Record<string, string> = {}) {
  const url = new URL(`${ORIGIN}/api/videos/${id}/hls/${rel}`);
  const parts = url.pathname.split('/hls/')[1]!.split('/');
  const res = await hlsRoute.GET(new Request(url, { headers }), { params: Promise.resolve({ id, path: parts }) });
  return { status: res.status, body: Buffer.from(await res.arrayBuffer()) };
}

/** A processing video whose attempt `attempt` has written one segment per rung, as the worker leaves it. */
async function seedLive(ownerId: string) {
  const video = await db.video.create({
    data: { ownerId, title: 'Live access', searchText: 'Live access', status: 'processing', sha256: randomBytes(32).toString('hex'), sizeBytes: 1n, container: 'mp4' },
  });
  const attempt = `${video.id}-${randomBytes(4).toString('hex')}`;
  const out = path.join(workRoot(), attempt, 'out');
  const key = randomBytes(16);
  fs.mkdirSync(path.join(out, 'v0'), { recursive: true });
  fs.writeFileSync(path.join(out, 'master.m3u8'), '#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1000,RESOLUTION=640x360\nv0/index.m3u8\n');
  fs.writeFileSync(
    path.join(out, 'v0', 'index.m3u8'),
    '#EXTM3U\n#EXT-X-PLAYLIST-TYPE:EVENT\n#EXT-X-KEY:METHOD=AES-128,URI="key",IV=0x00000000000000000000000000000001\n#EXTINF:4.0,\nseg_000.ts\n',
  );
  fs.writeFileSync(path.join(out, 'v0', 'seg_000.ts'), 'segment-bytes');
  fs.writeFileSync(path.join(out, 'poster.jpg'), 'poster');
  await db.videoLiveKey.create({
    data: { videoId: video.id, attempt, name: 'v0', width: 640, height: 360, bandwidth: 1000, codecs: 'avc1.4d401e', keyEnc: encryptBytes(key, undefined, liveKeyAad(video.id, attempt, 'v0')), ivHex: '01' },
  });
  await db.video.update({ where: { id: video.id }, data: { liveAttempt: attempt, liveAt: new Date() } });
  return { id: video.id, attempt, key };
}

beforeAll(async () => {
  owner = await createUser({ role: 'uploader' });
  viewer = await createUser({ role: 'viewer' });
  otherUploader = await createUser({ role: 'uploader' });
  admin = await createUser({ role: 'admin' });
});

describe("a processing video's growing stream", () => {
  it('is served to its owner and admins with its key, and to nobody else', async () => {
    const { id, attempt, key } = await seedLive(owner.id);
    for (const user of [owner, admin]) {
      const h = await authHeaders(user);
      expect((await hls(id, 'master.m3u8', h)).status).toBe(200);
      const variant = (await hls(id, 'v0/index.m3u8', h)).body.toString('utf8');
      expect(variant).toContain(`seg_000.ts?a=${attempt}`);
      const k = await hls(id, `v0/key?a=${attempt}`, h);
      expect(k.status).toBe(200);
      expect(k.body.equals(key)).toBe(true);
      expect((await hls(id, `v0/seg_000.ts?a=${attempt}`, h)).body.toString()).toBe('segment-bytes');
    }
    for (const user of [viewer, otherUploader]) {
      const h = await authHeaders(user);
      for (const rel of ['master.m3u8', 'v0/index.m3u8', `v0/key?a=${attempt}`, `v0/seg_000.ts?a=${attempt}`]) expect((await hls(id, rel, h)).status).toBe(403);
      // GET /api/videos/{id} does not show it to them either, so they get no playback link.
      expect((await videoRoute.GET(new Request(`${ORIGIN}/api/videos/${id}`, { headers: h }), { params: Promise.resolve({ id }) })).status).toBe(404);
    }
    expect((await hls(id, 'master.m3u8')).status).toBe(401);
  });

  it("works through the owner's playback link (no cookie), and the link of another video does not open it", async () => {
    const { id, attempt } = await seedLive(owner.id);
    const res = await videoRoute.GET(new Request(`${ORIGIN}/api/videos/${id}`, { headers: await authHeaders(owner) }), { params: Promise.resolve({ id }) });
    const view = (await res.json()) as { playbackUrl: string; status: string; renditions: { height: number }[] };
    expect(view.status).toBe('processing');
    expect(view.renditions).toEqual([{ height: 360, width: 640, bandwidth: 1000 }]);
    const t = new URL(view.playbackUrl, ORIGIN).searchParams.get('t')!;
    expect((await hls(id, `master.m3u8?t=${encodeURIComponent(t)}`)).status).toBe(200);
    expect((await hls(id, `v0/key?a=${attempt}&t=${encodeURIComponent(t)}`)).status).toBe(200);
    const other = await seedLive(owner.id);
    const foreign = await sealPlaybackToken(other.id, owner.id);
    expect((await hls(id, `master.m3u8?t=${encodeURIComponent(foreign)}`)).status).toBe(403);
  });

  it('serves segments and keys only of attempts of this video, and nothing else from the staging area', async () => {
    const mine = await seedLive(owner.id);
    const theirs = await seedLive(owner.id);
    const h = await authHeaders(owner);
    // Another video's attempt (real, with keys and files) is not reachable through this video.
    expect((await hls(mine.id, `v0/key?a=${theirs.attempt}`, h)).status).toBe(404);
    expect((await hls(mine.id, `v0/seg_000.ts?a=${theirs.attempt}`, h)).status).toBe(404);
    for (const a of ['..', '../public', `${mine.attempt}/../x`, '%2e%2e']) {
      expect([400, 404]).toContain((await hls(mine.id, `v0/seg_000.ts?a=${encodeURIComponent(a)}`, h)).status);
    }
    // The poster written by FFmpeg into the staging area waits for the finished video.
    expect((await hls(mine.id, 'poster.jpg', h)).status).toBe(403);
  });

  it('stops being served when the job fails', async () => {
    const { id } = await seedLive(owner.id);
    await db.video.update({ where: { id }, data: { status: 'failed' } });
    expect((await hls(id, 'master.m3u8', await authHeaders(owner))).status).toBe(403);
  });

  it('is removed by the worker sweep once nobody will resume it (failed for 15 minutes, or published), and kept while a retry may', async () => {
    const gaveUp = await seedLive(owner.id);
    const retrying = await seedLive(owner.id);
    const running = await seedLive(owner.id);
    await db.video.update({ where: { id: gaveUp.id }, data: { status: 'failed' } });
    await db.video.update({ where: { id: retrying.id }, data: { status: 'failed' } });
    const dirOf = (attempt: string) => path.join(workRoot(), attempt);
    // 16 minutes later for the first; the retrying one failed a moment ago.
    await db.$executeRaw`UPDATE "Video" SET "updatedAt" = now() - interval '16 minutes' WHERE id = ${gaveUp.id}`;
    await removeAbandonedStreams();
    expect(fs.existsSync(dirOf(gaveUp.attempt))).toBe(false);
    expect(await db.videoLiveKey.count({ where: { videoId: gaveUp.id } })).toBe(0);
    expect((await db.video.findUniqueOrThrow({ where: { id: gaveUp.id } })).liveAttempt).toBeNull();
    for (const kept of [retrying, running]) {
      expect(fs.existsSync(dirOf(kept.attempt))).toBe(true);
      expect(await db.videoLiveKey.count({ where: { videoId: kept.id } })).toBe(1);
    }
  });
});
