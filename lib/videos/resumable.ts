// Resumable uploads with Content-Range chunks: the client creates a session, PUTs byte ranges
// in order, and after a dropped connection asks for the offset (HEAD/GET) and continues from the
// last byte that reached the disk. The last chunk completes the upload into a Video. A session
// that receives nothing for UPLOAD_IDLE_TTL_MS is abandoned: the worker's sweep deletes its bytes.
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { db } from '../db';
import { env } from '../env';
import { AppError, notFound } from '../http/errors';
import { assertCan } from '../auth/permissions';
import { recordAudit } from '../audit/record';
import type { RequestMeta, UserActor } from '../auth/actor';
import { uploadPartPath } from './paths';
import { hashFile, tooLarge } from './storage';
import { ingestUpload, type IngestResult } from './ingest';
import { UPLOAD_IDLE_TTL_MS } from './liveness';
import { assertDiskRoom, assertUploadAllowed } from './quota';
import type { CreateUploadInput } from './schemas';

export { createUploadSchema } from './schemas';
export const CHUNK_BYTES = 8 * 1024 * 1024;

export interface UploadState {
  id: string;
  offset: number;
  sizeBytes: number;
  status: 'open' | 'complete' | 'cancelled';
  chunkBytes: number;
  videoId: string | null;
}

function state(s: { id: string; receivedBytes: bigint; sizeBytes: bigint; status: UploadState['status']; videoId: string | null }): UploadState {
  return { id: s.id, offset: Number(s.receivedBytes), sizeBytes: Number(s.sizeBytes), status: s.status, chunkBytes: CHUNK_BYTES, videoId: s.videoId };
}

export async function createUploadSession(actor: UserActor, input: CreateUploadInput, meta?: RequestMeta): Promise<UploadState> {
  assertCan(actor, 'videos:upload');
  if (input.sizeBytes > env.VIDEO_MAX_UPLOAD_BYTES) throw tooLarge(env.VIDEO_MAX_UPLOAD_BYTES);
  await assertUploadAllowed(actor, input.sizeBytes);
  const s = await db.uploadSession.create({
    data: {
      userId: actor.id,
      title: input.title,
      description: input.description,
      category: input.category ?? null,
      tags: input.tags,
      people: input.people,
      sizeBytes: BigInt(input.sizeBytes),
      expiresAt: new Date(Date.now() + UPLOAD_IDLE_TTL_MS),
    },
  });
  const part = uploadPartPath(s.id);
  fs.mkdirSync(path.dirname(part), { recursive: true });
  fs.writeFileSync(part, Buffer.alloc(0), { mode: 0o600 });
  await recordAudit({ actor, action: 'video.upload_start', target: { type: 'upload', id: s.id }, meta, detail: { size: input.sizeBytes } });
  return state(s);
}

async function ownSession(actor: UserActor, id: string) {
  assertCan(actor, 'videos:upload');
  const s = await db.uploadSession.findUnique({ where: { id } });
  if (!s || s.userId !== actor.id) throw notFound('Upload');
  return s;
}

export async function getUploadState(actor: UserActor, id: string): Promise<UploadState> {
  const s = await ownSession(actor, id);
  // The disk is the truth: a chunk cut off mid-way keeps the bytes that arrived.
  if (s.status === 'open') {
    const onDisk = fs.existsSync(uploadPartPath(id)) ? fs.statSync(uploadPartPath(id)).size : 0;
    if (BigInt(onDisk) !== s.receivedBytes) {
      return state(await db.uploadSession.update({ where: { id }, data: { receivedBytes: BigInt(onDisk) } }));
    }
  }
  return state(s);
}

export function parseContentRange(h: string | null): { start: number; end: number; total: number } {
  const m = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(h?.trim() ?? '');
  if (!m) throw new AppError('bad_request', 'Send a Content-Range header: bytes <start>-<end>/<total>.');
  const [start, end, total] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (end < start || end >= total) throw new AppError('bad_request', 'Invalid Content-Range.');
  return { start, end, total };
}

const locks = new Set<string>();

/**
 * Appends one chunk. Returns the new state, plus the ingest result when this chunk completed the
 * upload. A chunk not starting at the current offset gets 409 with the offset to resume from.
 */
export async function putChunk(
  actor: UserActor,
  id: string,
  contentRange: string | null,
  body: ReadableStream<Uint8Array> | null,
  meta?: Partial<RequestMeta>,
): Promise<{ state: UploadState; video?: IngestResult }> {
  const s = await ownSession(actor, id);
  if (s.status === 'open' && s.expiresAt <= new Date()) {
    // Abandoned (the sweep just has not run yet): the same outcome as if it had.
    await expireSession(id);
    throw new AppError('upload_expired', 'This upload was abandoned for too long and its data deleted; start it again.', { status: 410 });
  }
  if (s.status !== 'open') throw new AppError('conflict', `This upload is ${s.status}.`);
  const range = parseContentRange(contentRange);
  if (range.total !== Number(s.sizeBytes)) throw new AppError('bad_request', 'Content-Range total does not match the upload size.');
  if (!body) throw new AppError('bad_request', 'The chunk has no body.');
  if (locks.has(id)) throw new AppError('conflict', 'Another chunk of this upload is being received.');
  locks.add(id);
  const part = uploadPartPath(id);
  try {
    if (!fs.existsSync(part)) {
      // The bytes received so far are gone (data folder cleaned or restored): nothing to resume.
      await db.uploadSession.update({ where: { id }, data: { status: 'cancelled' } });
      throw new AppError('upload_lost', 'The data received so far is gone; start the upload again.', { status: 410 });
    }
    const current = fs.statSync(part).size;
    if (range.start !== current) {
      throw new AppError('conflict', `Resume from byte ${current}.`, { status: 409, details: { offset: current }, headers: { 'upload-offset': String(current) } });
    }
    const expected = range.end - range.start + 1;
    await assertDiskRoom(expected);
    // A chunk being received keeps its session alive, however long it takes to arrive.
    await db.uploadSession.update({ where: { id }, data: { expiresAt: idleExpiry() } });
    let written = 0;
    // Every chunk that arrives is written before the next is read, so a dropped connection
    // keeps exactly the bytes that were received.
    const fh = await fs.promises.open(part, 'a');
    try {
      for await (const chunk of Readable.fromWeb(body as import('node:stream/web').ReadableStream<Uint8Array>)) {
        const buf = chunk as Buffer;
        if (written + buf.length > expected) throw new AppError('bad_request', 'The chunk is longer than its Content-Range.');
        await fh.write(buf);
        written += buf.length;
      }
    } catch (err) {
      await fh.close();
      await db.uploadSession.update({ where: { id }, data: { receivedBytes: BigInt(range.start + written) } });
      if (err instanceof AppError) throw err;
      throw new AppError('upload_interrupted', 'The chunk was cut off; ask for the offset and resume.', { status: 400 });
    }
    await fh.close();
    const size = fs.statSync(part).size;
    let updated = await db.uploadSession.update({ where: { id }, data: { receivedBytes: BigInt(size) } });
    if (size < Number(s.sizeBytes)) return { state: state(updated) };

    // Complete: hash, check and turn into a Video (ingest removes the part file).
    const stored = await hashFile(part);
    let video: IngestResult;
    try {
      video = await ingestUpload(actor, stored, { title: s.title, description: s.description, category: s.category, tags: s.tags, people: s.people }, { meta });
    } catch (err) {
      await db.uploadSession.update({ where: { id }, data: { status: 'cancelled' } });
      throw err;
    }
    updated = await db.uploadSession.update({ where: { id }, data: { status: 'complete', videoId: video.id } });
    return { state: state(updated), video };
  } finally {
    locks.delete(id);
  }
}

export async function cancelUpload(actor: UserActor, id: string, meta?: RequestMeta): Promise<void> {
  const s = await ownSession(actor, id);
  if (s.status === 'open') await db.uploadSession.update({ where: { id }, data: { status: 'cancelled' } });
  fs.rmSync(uploadPartPath(id), { force: true });
  await recordAudit({ actor, action: 'video.upload_cancel', target: { type: 'upload', id }, meta });
}

/** Every chunk pushes its session's expiry to UPLOAD_IDLE_TTL_MS from now. */
function idleExpiry(): Date {
  return new Date(Date.now() + UPLOAD_IDLE_TTL_MS);
}

async function expireSession(id: string): Promise<void> {
  fs.rmSync(uploadPartPath(id), { force: true });
  await db.uploadSession.updateMany({ where: { id, status: 'open' }, data: { status: 'cancelled' } });
}

/**
 * Cancels open uploads that received nothing for UPLOAD_IDLE_TTL_MS and deletes their partial
 * files (the worker's video sweep runs it every minute).
 */
export async function removeExpiredUploads(now = new Date()): Promise<number> {
  const stale = await db.uploadSession.findMany({ where: { status: 'open', expiresAt: { lt: now } }, select: { id: true } });
  for (const s of stale) await expireSession(s.id);
  return stale.length;
}
