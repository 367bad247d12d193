/* eslint-disable @typescript-eslint/no-explicit-any -- JSON bodies of API responses are read loosely in assertions */
// Acceptance 3: a resumable upload cut half-way continues from the last received byte, and the
// stored file's SHA-256 equals the source's.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authHeaders, createUser, type TestUser } from '../helpers/auth';
import { db } from '@/lib/db';
import { stopBoss } from '@/lib/jobs/boss';
import { sourcePath, uploadPartPath } from '@/lib/videos/paths';
import * as startRoute from '@/app/api/videos/uploads/route';
import * as chunkRoute from '@/app/api/videos/uploads/[id]/route';
import { makeClip, mediaDir } from './videos-helpers';

const ORIGIN = 'http://localhost:3000';
let uploader: TestUser;
let clip: Buffer;

beforeAll(async () => {
  uploader = await createUser({ role: 'uploader' });
  clip = fs.readFileSync(makeClip('resumable.mp4', { seconds: 3, size: '1280x720' }));
});
afterAll(async () => {
  await stopBoss();
  fs.rmSync(mediaDir, { recursive: true, force: true });
});

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const ctx = (id: string) => ({ params: Promise.resolve({ id }) });

/** A body that delivers `bytes` and then fails, like a connection dropped mid-chunk. */
function droppedBody(bytes: Buffer): ReadableStream<Uint8Array> {
  let sent = false;
  return new ReadableStream({
    async pull(c) {
      if (!sent) {
        sent = true;
        c.enqueue(new Uint8Array(bytes));
      } else {
        // The connection drops a moment after the bytes were delivered.
        await new Promise((r) => setTimeout(r, 100));
        c.error(new Error('socket hang up'));
      }
    },
  });
}

async function put(id: string, start: number, total: number, body: BodyInit, end: number) {
  const headers = { ...(await authHeaders(uploader)), 'content-range': `bytes ${start}-${end}/${total}` };
  return chunkRoute.PUT(new Request(`${ORIGIN}/api/videos/uploads/${id}`, { method: 'PUT', headers, body, duplex: 'half' } as RequestInit), ctx(id));
}

describe('resumable upload', () => {
  it('continues from the last received byte after a dropped connection', async () => {
    const start = await startRoute.POST(
      new Request(`${ORIGIN}/api/videos/uploads`, {
        method: 'POST',
        headers: { ...(await authHeaders(uploader)), 'content-type': 'application/json' },
        body: JSON.stringify({ title: 'Resumed clip', sizeBytes: clip.length, tags: ['resume'], people: ['Ada'], category: 'Tests', description: 'Cut and resumed' }),
      }),
      { params: Promise.resolve({}) },
    );
    expect(start.status).toBe(201);
    const { id, offset } = (await start.json()) as { id: string; offset: number };
    expect(offset).toBe(0);

    // One request for the whole file, cut off after 40 % of it arrived.
    const cut = Math.floor(clip.length * 0.4);
    const dropped = await put(id, 0, clip.length, droppedBody(clip.subarray(0, cut)) as unknown as BodyInit, clip.length - 1);
    expect(dropped.status).toBe(400);
    expect(((await dropped.json()) as any).error.code).toBe('upload_interrupted');

    // Ask where to resume: exactly the bytes that reached the disk.
    const head = await chunkRoute.GET(new Request(`${ORIGIN}/api/videos/uploads/${id}`, { headers: await authHeaders(uploader) }), ctx(id));
    const st = (await head.json()) as { offset: number; status: string };
    expect(st).toMatchObject({ offset: cut, status: 'open' });
    expect(head.headers.get('upload-offset')).toBe(String(cut));

    // A chunk from the wrong offset is refused with the offset to use.
    const wrong = await put(id, 0, clip.length, new Uint8Array(clip.subarray(0, 10)), 9);
    expect(wrong.status).toBe(409);
    expect(((await wrong.json()) as any).error.details).toEqual({ offset: cut });

    // Resume in two chunks from the offset; the last one completes the upload.
    const mid = cut + Math.floor((clip.length - cut) / 2);
    const c1 = await put(id, cut, clip.length, new Uint8Array(clip.subarray(cut, mid)), mid - 1);
    expect(c1.status).toBe(200);
    expect(((await c1.json()) as any).offset).toBe(mid);
    const c2 = await put(id, mid, clip.length, new Uint8Array(clip.subarray(mid)), clip.length - 1);
    expect(c2.status).toBe(201);
    const done = (await c2.json()) as { status: string; video: { id: string; status: string; duplicate: boolean } };
    expect(done.status).toBe('complete');
    expect(done.video).toMatchObject({ status: 'pending', duplicate: false });

    const stored = fs.readFileSync(sourcePath(done.video.id));
    expect(sha(stored)).toBe(sha(clip));
    const video = await db.video.findUniqueOrThrow({ where: { id: done.video.id } });
    expect(video.sha256).toBe(sha(clip));
    expect(video).toMatchObject({ title: 'Resumed clip', tags: ['resume'], people: ['Ada'], category: 'Tests', description: 'Cut and resumed', width: 1280, height: 720 });
    expect(fs.existsSync(uploadPartPath(id))).toBe(false);
  });

  it('cancels an upload and removes its partial file', async () => {
    const start = await startRoute.POST(
      new Request(`${ORIGIN}/api/videos/uploads`, {
        method: 'POST',
        headers: { ...(await authHeaders(uploader)), 'content-type': 'application/json' },
        body: JSON.stringify({ title: 'Cancelled', sizeBytes: 1000 }),
      }),
      { params: Promise.resolve({}) },
    );
    const { id } = (await start.json()) as { id: string };
    expect((await put(id, 0, 1000, new Uint8Array(clip.subarray(0, 500)), 499)).status).toBe(200);
    const del = await chunkRoute.DELETE(new Request(`${ORIGIN}/api/videos/uploads/${id}`, { method: 'DELETE', headers: await authHeaders(uploader) }), ctx(id));
    expect(del.status).toBe(204);
    expect(fs.existsSync(uploadPartPath(id))).toBe(false);
    expect((await put(id, 500, 1000, new Uint8Array(clip.subarray(500, 1000)), 999)).status).toBe(409);
  });

  it('expires abandoned uploads and deletes their partial files', async () => {
    const { removeExpiredUploads } = await import('@/lib/videos/resumable');
    const start = await startRoute.POST(
      new Request(`${ORIGIN}/api/videos/uploads`, {
        method: 'POST',
        headers: { ...(await authHeaders(uploader)), 'content-type': 'application/json' },
        body: JSON.stringify({ title: 'Abandoned', sizeBytes: 1000 }),
      }),
      { params: Promise.resolve({}) },
    );
    const { id } = (await start.json()) as { id: string };
    expect(await removeExpiredUploads(new Date())).toBe(0);
    expect(await removeExpiredUploads(new Date(Date.now() + 25 * 3600_000))).toBe(1);
    expect(fs.existsSync(uploadPartPath(id))).toBe(false);
    expect((await db.uploadSession.findUniqueOrThrow({ where: { id } })).status).toBe('cancelled');
  });

  it('answers 410 upload_lost (not a 500) when the received bytes vanished from disk', async () => {
    const start = await startRoute.POST(
      new Request(`${ORIGIN}/api/videos/uploads`, {
        method: 'POST',
        headers: { ...(await authHeaders(uploader)), 'content-type': 'application/json' },
        body: JSON.stringify({ title: 'Lost', sizeBytes: 1000 }),
      }),
      { params: Promise.resolve({}) },
    );
    const { id } = (await start.json()) as { id: string };
    expect((await put(id, 0, 1000, new Uint8Array(clip.subarray(0, 500)), 499)).status).toBe(200);
    fs.rmSync(uploadPartPath(id));
    const res = await put(id, 500, 1000, new Uint8Array(clip.subarray(500, 1000)), 999);
    expect(res.status).toBe(410);
    expect(((await res.json()) as any).error.code).toBe('upload_lost');
    expect((await db.uploadSession.findUniqueOrThrow({ where: { id } })).status).toBe('cancelled');
  });
});
