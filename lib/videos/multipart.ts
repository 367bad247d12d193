// Plain one-request upload: multipart/form-data with a `file` part and text fields. The file is
// streamed to disk (never buffered in memory); its client-side name is ignored.
import { Readable } from 'node:stream';
import busboy from 'busboy';
import { AppError } from '../http/errors';
import { storeStream, tooLarge, type StoredFile } from './storage';
import { diskRoomBytes } from './quota';
import fs from 'node:fs';

export interface MultipartUpload {
  file: StoredFile;
  fields: Record<string, string>;
}

export async function receiveMultipart(req: Request, maxBytes: number): Promise<MultipartUpload> {
  const type = req.headers.get('content-type') ?? '';
  if (!type.toLowerCase().startsWith('multipart/form-data')) {
    throw new AppError('unsupported_media_type', 'Send multipart/form-data with a `file` field.');
  }
  const declared = Number(req.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > maxBytes + 1024 * 1024) throw tooLarge(maxBytes);
  if (!req.body) throw new AppError('bad_request', 'The request has no body.');
  const room = await diskRoomBytes();

  return new Promise<MultipartUpload>((resolve, reject) => {
    let bb: busboy.Busboy;
    try {
      bb = busboy({ headers: { 'content-type': type }, limits: { files: 1, fields: 20, fieldSize: 64 * 1024 } });
    } catch {
      reject(new AppError('bad_request', 'Malformed multipart body.'));
      return;
    }
    const fields: Record<string, string> = {};
    let stored: Promise<StoredFile> | null = null;
    let failed = false;
    const fail = (err: unknown) => {
      if (failed) return;
      failed = true;
      reject(err);
    };
    bb.on('field', (name, value) => {
      fields[name] = value;
    });
    bb.on('file', (name, stream) => {
      if (name !== 'file' || stored) {
        stream.resume();
        return;
      }
      stored = storeStream(stream, maxBytes, room);
      stored.catch((err) => {
        stream.resume();
        fail(err);
      });
    });
    bb.on('error', () => fail(new AppError('bad_request', 'Malformed multipart body.')));
    bb.on('close', async () => {
      if (failed) {
        stored?.then((f) => fs.rmSync(f.path, { force: true })).catch(() => {});
        return;
      }
      if (!stored) return fail(new AppError('validation_failed', 'file: a `file` field is required.'));
      try {
        resolve({ file: await stored, fields });
      } catch (err) {
        fail(err);
      }
    });
    Readable.fromWeb(req.body as import('node:stream/web').ReadableStream<Uint8Array>)
      .on('error', () => fail(new AppError('bad_request', 'The upload was interrupted.')))
      .pipe(bb);
  });
}
