/* eslint-disable @typescript-eslint/no-explicit-any -- JSON bodies of API responses are read loosely in assertions */
// What an upload may use and what it may learn: the upload rate limit, the disk reserve, abandoned
// resumable sessions, every guard of a resumable chunk, per-uploader dedupe, and ffprobe's reasons
// without our paths.
import fs from 'node:fs';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { authHeaders, createUser, type TestUser } from '../helpers/auth';
import { db } from '@/lib/db';
import { env } from '@/lib/env';
import { getBoss, stopBoss } from '@/lib/jobs/boss';
import { setRateLimitStore } from '@/lib/rate-limit';
import { uploadPartPath } from '@/lib/videos/paths';
import { freeUploadBytes } from '@/lib/videos/quota';
import { sweepVideos } from '@/lib/videos/recover';
import * as uploadRoute from '@/app/api/videos/route';
import * as startRoute from '@/app/api/videos/uploads/route';
import * as chunkRoute from '@/app/api/videos/uploads/[id]/route';
import { makeClip, mediaDir } from './videos-helpers';

const ORIGIN = 'http://localhost:3000';
const noCtx = { params: Promise.resolve({}) };
const ctx = (id: string) => ({ params: Promise.resolve({ id }) });
const HOUR_MS = 3600_000;

let clip: Buffer;

beforeAll(() => {
  clip = fs.readFileSync(makeClip('limits.mp4', { seconds: 1, size: '320x240' }));
});
afterAll(async () => {
  await stopBoss();
  fs.rmSync(mediaDir, { recursive: true, force: true });
});

async function startUpload(user: TestUser, sizeBytes: number, title = 'Clip') {
  const res = await startRoute.POST(
    new Request(`${ORIGIN}/api/videos/uploads`, {
      method: 'POST',
      headers: { ...(await authHeaders(user)), 'content-type': 'application/json' },
      body: JSON.stringify({ title, sizeBytes }),
    }),
    noCtx,
  );
  return { res, body: (await res.json()) as any };
}

async function put(user: TestUser, id: string, range: string, body: BodyInit) {
  const headers = { ...(await authHeaders(user)), 'content-range': range };
  return chunkRoute.PUT(new Request(`${ORIGIN}/api/videos/uploads/${id}`, { method: 'PUT', headers, body, duplex: 'half' } as RequestInit), ctx(id));
}

async function uploadOnce(user: TestUser, bytes: Buffer, title = 'One request') {
  const form = new FormData();
  form.set('title', title);
  form.set('file', new Blob([new Uint8Array(bytes)]), 'clip.mp4');
  const res = await uploadRoute.POST(new Request(`${ORIGIN}/api/videos`, { method: 'POST', headers: await authHeaders(user), body: form }), noCtx);
  return { res, body: (await res.json()) as any };
}

describe('upload rate limit', () => {
  test('30 uploads an hour per uploader (resumable starts and one-request uploads together), then 429 with Retry-After', async () => {
    setRateLimitStore(null);
    const user = await createUser({ role: 'uploader' });
    for (let i = 0; i < 30; i++) expect((await startUpload(user, 1000)).res.status).toBe(201);
    const limited = await startUpload(user, 1000);
    expect(limited.res.status).toBe(429);
    expect(limited.body.error.code).toBe('rate_limited');
    const retry = Number(limited.res.headers.get('retry-after'));
    expect(retry).toBeGreaterThanOrEqual(1);
    expect(retry).toBeLessThanOrEqual(3600);
    const once = await uploadOnce(user, clip);
    expect(once.res.status).toBe(429);
    expect(await db.video.count({ where: { ownerId: user.id } })).toBe(0);
    // Another uploader is not affected.
    expect((await startUpload(await createUser({ role: 'uploader' }), 1000)).res.status).toBe(201);
  });
});

describe('disk reserve', () => {
  test('uploads that would leave less than UPLOAD_DISK_RESERVE_MB free → 507 insufficient_storage, nothing stored', async () => {
    expect(env.UPLOAD_DISK_RESERVE_MB).toBe(1024); // the documented default: keep 1 GiB free
    const user = await createUser({ role: 'uploader' });
    const open = await startUpload(user, clip.length);
    expect(open.res.status).toBe(201);
    const saved = env.UPLOAD_DISK_RESERVE_MB;
    try {
      // A reserve just above what is free now: any upload would eat into it.
      env.UPLOAD_DISK_RESERVE_MB = Math.ceil((await freeUploadBytes()) / 1024 / 1024) + 64;
      const start = await startUpload(user, 1000);
      expect(start.res.status).toBe(507);
      expect(start.body.error).toMatchObject({ code: 'insufficient_storage', message: expect.stringMatching(/disk space/) });
      const once = await uploadOnce(user, clip);
      expect(once.res.status).toBe(507);
      const chunk = await put(user, open.body.id, `bytes 0-99/${clip.length}`, new Uint8Array(clip.subarray(0, 100)));
      expect(chunk.status).toBe(507);
      expect(fs.statSync(uploadPartPath(open.body.id)).size).toBe(0);
      expect(await db.uploadSession.count({ where: { userId: user.id } })).toBe(1);
      expect(await db.video.count({ where: { ownerId: user.id } })).toBe(0);
    } finally {
      env.UPLOAD_DISK_RESERVE_MB = saved;
    }
    expect((await put(user, open.body.id, `bytes 0-99/${clip.length}`, new Uint8Array(clip.subarray(0, 100)))).status).toBe(200);
  });

  test('a one-request upload of unknown length is stopped with 507 once it reaches the reserve, and its bytes are removed', async () => {
    const user = await createUser({ role: 'uploader' });
    const saved = env.UPLOAD_DISK_RESERVE_MB;
    try {
      // Leave about 2 MiB of room, then send 16 MiB in a body that declares no length.
      env.UPLOAD_DISK_RESERVE_MB = Math.floor((await freeUploadBytes()) / 1024 / 1024) - 2;
      const big = Buffer.concat([clip, randomBytes(16 * 1024 * 1024)]);
      const { res, body } = await uploadOnce(user, big, 'Too much for the disk');
      expect(res.status).toBe(507);
      expect(body.error.code).toBe('insufficient_storage');
      await new Promise((r) => setTimeout(r, 50));
      const dir = `${process.env.DATA_DIR}/uploads`;
      expect(fs.readdirSync(dir).filter((f) => f.startsWith('tmp-'))).toEqual([]);
      expect(await db.video.count({ where: { ownerId: user.id } })).toBe(0);
    } finally {
      env.UPLOAD_DISK_RESERVE_MB = saved;
    }
  });
});

describe('abandoned resumable uploads', () => {
  const setExpiry = (id: string, at: Date) => db.uploadSession.update({ where: { id }, data: { expiresAt: at } });

  test('an upload with no chunk for 24 h is cancelled and its bytes deleted by the worker sweep; a live one stays', async () => {
    const user = await createUser({ role: 'uploader' });
    const idle = (await startUpload(user, 1000, 'Idle')).body.id as string;
    const live = (await startUpload(user, 1000, 'Live')).body.id as string;
    expect((await put(user, idle, 'bytes 0-499/1000', new Uint8Array(500))).status).toBe(200);
    expect((await put(user, live, 'bytes 0-499/1000', new Uint8Array(500))).status).toBe(200);

    // 23 h after the last chunk nothing happens.
    const boss = await getBoss();
    await sweepVideos(boss, new Date(Date.now() + 23 * HOUR_MS));
    expect(fs.existsSync(uploadPartPath(idle))).toBe(true);
    // The idle one's last chunk was 24 h and a minute ago; the live one's just now.
    await setExpiry(idle, new Date(Date.now() - 60_000));
    const swept = await sweepVideos(boss);
    expect(swept.expiredUploads).toBeGreaterThanOrEqual(1);
    expect(fs.existsSync(uploadPartPath(idle))).toBe(false);
    expect((await db.uploadSession.findUniqueOrThrow({ where: { id: idle } })).status).toBe('cancelled');
    expect(fs.statSync(uploadPartPath(live)).size).toBe(500);
    expect((await db.uploadSession.findUniqueOrThrow({ where: { id: live } })).status).toBe('open');
    expect((await put(user, idle, 'bytes 500-999/1000', new Uint8Array(500))).status).toBe(409);
  });

  test('every chunk pushes the expiry to 24 h after it arrived', async () => {
    const user = await createUser({ role: 'uploader' });
    const id = (await startUpload(user, 1000)).body.id as string;
    const created = (await db.uploadSession.findUniqueOrThrow({ where: { id } })).expiresAt.getTime();
    expect(created).toBeGreaterThan(Date.now() + 24 * HOUR_MS - 60_000);
    await setExpiry(id, new Date(Date.now() + 60_000)); // about to expire
    expect((await put(user, id, 'bytes 0-99/1000', new Uint8Array(100))).status).toBe(200);
    const after = (await db.uploadSession.findUniqueOrThrow({ where: { id } })).expiresAt.getTime();
    expect(after).toBeGreaterThan(Date.now() + 24 * HOUR_MS - 60_000);
    expect(after).toBeLessThanOrEqual(Date.now() + 24 * HOUR_MS + 1000);
  });

  test('a chunk for a session already past its expiry → 410 upload_expired, bytes deleted', async () => {
    const user = await createUser({ role: 'uploader' });
    const id = (await startUpload(user, 1000)).body.id as string;
    expect((await put(user, id, 'bytes 0-99/1000', new Uint8Array(100))).status).toBe(200);
    await setExpiry(id, new Date(Date.now() - 1000));
    const res = await put(user, id, 'bytes 100-199/1000', new Uint8Array(100));
    expect(res.status).toBe(410);
    expect(((await res.json()) as any).error.code).toBe('upload_expired');
    expect(fs.existsSync(uploadPartPath(id))).toBe(false);
    expect((await db.uploadSession.findUniqueOrThrow({ where: { id } })).status).toBe('cancelled');
  });
});

describe('resumable chunk guards', () => {
  let user: TestUser;
  beforeAll(async () => {
    user = await createUser({ role: 'uploader' });
  });
  const offsetOf = async (id: string) => fs.statSync(uploadPartPath(id)).size;

  test('a chunk longer than its Content-Range → 400, and none of the surplus reaches the disk', async () => {
    const id = (await startUpload(user, 1000)).body.id as string;
    const res = await put(user, id, 'bytes 0-9/1000', new Uint8Array(randomBytes(20)));
    expect(res.status).toBe(400);
    expect(((await res.json()) as any).error.message).toMatch(/longer than its Content-Range/);
    expect(await offsetOf(id)).toBeLessThanOrEqual(10);
    // Two pieces: the first fits and is kept, the one crossing the range end is refused.
    const id2 = (await startUpload(user, 1000)).body.id as string;
    let n = 0;
    const pieces = new ReadableStream<Uint8Array>({
      async pull(c) {
        if (n++ === 2) return c.close();
        await new Promise((r) => setTimeout(r, 30)); // two separate arrivals, not one coalesced buffer
        c.enqueue(new Uint8Array(8));
      },
    });
    expect((await put(user, id2, 'bytes 0-9/1000', pieces as unknown as BodyInit)).status).toBe(400);
    expect(await offsetOf(id2)).toBe(8);
  });

  test('a Content-Range total that differs from the declared size → 400, nothing written', async () => {
    const id = (await startUpload(user, 1000)).body.id as string;
    const res = await put(user, id, 'bytes 0-99/2000', new Uint8Array(100));
    expect(res.status).toBe(400);
    expect(((await res.json()) as any).error.message).toMatch(/total does not match/);
    expect(await offsetOf(id)).toBe(0);
  });

  test('a session larger than the 10 GiB default limit → 413 before anything is created', async () => {
    const before = await db.uploadSession.count({ where: { userId: user.id } });
    const over = await startUpload(user, 10 * 1024 ** 3 + 1);
    expect(over.res.status).toBe(413);
    expect(over.body.error.code).toBe('payload_too_large');
    expect(await db.uploadSession.count({ where: { userId: user.id } })).toBe(before);
  });

  test('a second chunk while one is being received → 409, and the first completes intact', async () => {
    const id = (await startUpload(user, 1000)).body.id as string;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let sentFirst = false;
    const slow = new ReadableStream<Uint8Array>({
      async pull(c) {
        if (!sentFirst) {
          sentFirst = true;
          c.enqueue(new Uint8Array(50).fill(1));
          return;
        }
        await gate;
        c.enqueue(new Uint8Array(50).fill(2));
        c.close();
      },
    });
    const first = put(user, id, 'bytes 0-99/1000', slow as unknown as BodyInit);
    // Wait until the first chunk's bytes are arriving.
    for (let i = 0; i < 100 && (await offsetOf(id)) === 0; i++) await new Promise((r) => setTimeout(r, 20));
    const second = await put(user, id, 'bytes 0-99/1000', new Uint8Array(100).fill(3));
    expect(second.status).toBe(409);
    expect(((await second.json()) as any).error.message).toMatch(/Another chunk/);
    release();
    expect((await first).status).toBe(200);
    const bytes = fs.readFileSync(uploadPartPath(id));
    expect(bytes.length).toBe(100);
    expect([...bytes.subarray(0, 50)].every((b) => b === 1) && [...bytes.subarray(50)].every((b) => b === 2)).toBe(true);
  });
});

describe('dedupe reveals nothing about other uploaders', () => {
  test("the same file from another uploader becomes a new video of theirs; the same uploader gets their own back", async () => {
    const alice = await createUser({ role: 'uploader' });
    const bob = await createUser({ role: 'uploader' });
    const first = await uploadOnce(alice, clip, 'Alice');
    expect(first.res.status).toBe(201);
    expect(first.body).toEqual({ id: expect.any(String), status: 'pending' });

    const other = await uploadOnce(bob, clip, 'Bob');
    expect(other.res.status).toBe(201);
    expect(other.body).toEqual({ id: expect.any(String), status: 'pending' });
    expect(other.body.id).not.toBe(first.body.id);
    expect(await db.video.findUniqueOrThrow({ where: { id: other.body.id } })).toMatchObject({ ownerId: bob.id, title: 'Bob' });

    const again = await uploadOnce(alice, clip, 'Alice again');
    expect(again.res.status).toBe(200);
    expect(again.body).toEqual({ id: first.body.id, status: 'pending', duplicate: true });
    const bobAgain = await uploadOnce(bob, clip, 'Bob again');
    expect(bobAgain.body).toEqual({ id: other.body.id, status: 'pending', duplicate: true });
  });
});

describe('ffprobe reasons', () => {
  test('a file that looks like MP4 but is not playable → 422 "not a playable video: <reason>" without any server path', async () => {
    const user = await createUser({ role: 'uploader' });
    const fake = Buffer.concat([Buffer.from([0, 0, 0, 0x20]), Buffer.from('ftypisom'), randomBytes(4000)]);
    const { res, body } = await uploadOnce(user, fake, 'Broken');
    expect(res.status).toBe(422);
    expect(body.error.code).toBe('unprocessable');
    expect(body.error.message).toMatch(/^The file is not a playable video: \S/);
    expect(body.error.message).not.toContain('/');
    expect(body.error.message).not.toContain(process.env.DATA_DIR!);
    expect(body.error.message).not.toMatch(/\.part|tmp-|0x[0-9a-f]{6}/);
  });
});
