// An account that must change its password (an admin created or reset it) watches nothing: its
// cookie fetches no playlist, key or segment, and a playback link it was given before the reset
// stops working. Others keep watching.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { authHeaders, createUser, type TestUser } from '../helpers/auth';
import { db } from '@/lib/db';
import { encryptBytes } from '@/lib/crypto/encryption';
import { keyAad } from '@/lib/videos/keys';
import { publishedDir } from '@/lib/videos/paths';
import { sealPlaybackToken } from '@/lib/videos/tokens';
import * as hlsRoute from '@/app/api/videos/[id]/hls/[...path]/route';

let videoId: string;
let viewer: TestUser;

beforeAll(async () => {
  const owner = await createUser({ role: 'uploader' });
  viewer = await createUser({ role: 'viewer' });
  const v = await db.video.create({
    data: { ownerId: owner.id, title: 'Published', sha256: randomBytes(32).toString('hex'), sizeBytes: 1n, container: 'mp4', status: 'ready' },
  });
  videoId = v.id;
  await db.videoRendition.create({
    data: { videoId, name: 'v0', width: 640, height: 360, bandwidth: 1, averageBandwidth: 1, codecs: 'avc1.4d401e', keyEnc: encryptBytes(randomBytes(16), undefined, keyAad(videoId, 'v0')), ivHex: '00'.repeat(16) },
  });
  const dir = publishedDir(videoId);
  fs.mkdirSync(path.join(dir, 'v0'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'master.m3u8'), '#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1\nv0/index.m3u8\n');
  fs.writeFileSync(path.join(dir, 'v0', 'index.m3u8'), '#EXTM3U\n#EXT-X-KEY:METHOD=AES-128,URI="key"\n#EXTINF:4,\nseg_000.ts\n#EXT-X-ENDLIST\n');
  fs.writeFileSync(path.join(dir, 'v0', 'seg_000.ts'), randomBytes(188));
});

const FILES = [['master.m3u8'], ['v0', 'index.m3u8'], ['v0', 'key'], ['v0', 'seg_000.ts']];

async function get(parts: string[], headers: Record<string, string> = {}, query = '') {
  const req = new Request(`http://localhost:3000/api/videos/${videoId}/hls/${parts.join('/')}${query}`, { headers });
  return hlsRoute.GET(req, { params: Promise.resolve({ id: videoId, path: parts }) });
}

describe('HLS and a pending password change', () => {
  test('by cookie: 403 password_change_required for playlists, key and segments; a normal viewer gets 200', async () => {
    const pending = await createUser({ role: 'viewer', mustChangePassword: true });
    for (const parts of FILES) {
      const res = await get(parts, await authHeaders(pending));
      expect(res.status, parts.join('/')).toBe(403);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('password_change_required');
      expect((await get(parts, await authHeaders(viewer))).status, parts.join('/')).toBe(200);
    }
  });

  test('by sealed token: a link minted before an admin reset stops working; after the change it works again', async () => {
    const user = await createUser({ role: 'viewer' });
    const token = await sealPlaybackToken(videoId, user.id);
    const q = `?t=${encodeURIComponent(token)}`;
    expect((await get(['master.m3u8'], {}, q)).status).toBe(200);
    await db.user.update({ where: { id: user.id }, data: { mustChangePassword: true } });
    for (const parts of FILES) {
      const res = await get(parts, {}, q);
      expect(res.status, parts.join('/')).toBe(403);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('password_change_required');
    }
    await db.user.update({ where: { id: user.id }, data: { mustChangePassword: false } });
    expect((await get(['v0', 'key'], {}, q)).status).toBe(200);
  });
});
