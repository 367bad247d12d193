// Two attempts of one transcode may overlap (a retry started while a stalled-looking attempt still
// runs). Neither may destroy the other's work, the published tree and the keys in the database must
// come from the same attempt, and a late failure must not turn a published video back to failed.
import { createDecipheriv, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db } from '@/lib/db';
import { decryptBytes } from '@/lib/crypto/encryption';
import { keyAad } from '@/lib/videos/keys';
import { transcodeVideo } from '@/lib/videos/transcode-video';
import { parseSegments } from '@/lib/videos/ladder';
import { publishedDir, sourcePath, workRoot } from '@/lib/videos/paths';
import { createUser } from '../helpers/auth';
import { makeClip, mediaDir } from './videos-helpers';

let clip: string;
let ownerId: string;

beforeAll(async () => {
  clip = makeClip('overlap.mp4', { seconds: 3, size: '640x360' });
  ownerId = (await createUser({ role: 'uploader' })).id;
});
afterAll(() => fs.rmSync(mediaDir, { recursive: true, force: true }));

async function processingVideo(): Promise<string> {
  const v = await db.video.create({
    data: { ownerId, title: 'Overlap', sha256: randomBytes(32).toString('hex'), sizeBytes: 1n, container: 'mp4', status: 'processing' },
  });
  fs.mkdirSync(path.dirname(sourcePath(v.id)), { recursive: true });
  fs.copyFileSync(clip, sourcePath(v.id));
  return v.id;
}

/** Resolves once an attempt for `videoId` has its work folder (i.e. it is past its start-up cleanup). */
async function workFolderOf(videoId: string): Promise<string> {
  for (;;) {
    const name = fs.existsSync(workRoot()) && fs.readdirSync(workRoot()).find((n) => n.startsWith(`${videoId}-`));
    if (name) return name;
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** The published first segment decrypts with the key and IV stored in the database. */
async function expectTreeMatchesKeys(videoId: string) {
  const renditions = await db.videoRendition.findMany({ where: { videoId } });
  expect(renditions.length).toBeGreaterThan(0);
  for (const r of renditions) {
    const dir = path.join(publishedDir(videoId), r.name);
    const first = parseSegments(fs.readFileSync(path.join(dir, 'index.m3u8'), 'utf8'))[0]!;
    const key = decryptBytes(r.keyEnc, undefined, keyAad(videoId, r.name));
    const d = createDecipheriv('aes-128-cbc', key, Buffer.from(r.ivHex, 'hex'));
    const plain = Buffer.concat([d.update(fs.readFileSync(path.join(dir, first.uri))), d.final()]);
    expect(plain[0]).toBe(0x47); // MPEG-TS sync byte
  }
}

describe('overlapping transcode attempts', () => {
  it('both finish; one publishes, the other discards its output; tree and keys agree', async () => {
    const id = await processingVideo();
    const first = transcodeVideo(id, { preset: 'ultrafast' });
    await workFolderOf(id);
    const second = transcodeVideo(id, { preset: 'ultrafast' });
    const results = await Promise.allSettled([first, second]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled']);
    expect(results.map((r) => (r as PromiseFulfilledResult<string>).value).sort()).toEqual(['ready', 'skipped']);
    const v = await db.video.findUniqueOrThrow({ where: { id } });
    expect(v).toMatchObject({ status: 'ready', progress: 100, failureReason: null });
    await expectTreeMatchesKeys(id);
    expect(await db.auditLog.count({ where: { action: 'video.transcoded', targetId: id } })).toBe(1);
    expect(fs.readdirSync(workRoot()).filter((n) => n.startsWith(`${id}-`))).toEqual([]);
  });

  it('a slow attempt cancelled after a retry published leaves the video ready', async () => {
    const id = await processingVideo();
    const stop = new AbortController();
    const slow = transcodeVideo(id, { preset: 'veryslow', signal: stop.signal });
    const slowSettled = slow.then(
      (value) => ({ value, error: null as Error | null }),
      (error: Error) => ({ value: null, error }),
    );
    await workFolderOf(id);
    expect(await transcodeVideo(id, { preset: 'ultrafast' })).toBe('ready');
    stop.abort();
    const { error } = await slowSettled;
    expect(error?.message).toMatch(/cancelled/);
    const v = await db.video.findUniqueOrThrow({ where: { id } });
    expect(v).toMatchObject({ status: 'ready', failureReason: null });
    await expectTreeMatchesKeys(id);
  });
});
