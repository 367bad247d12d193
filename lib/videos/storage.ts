// Upload storage: streams bytes into DATA_DIR/uploads under generated names while hashing them,
// enforcing the size limit, and keeping the first bytes for content sniffing.
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AppError } from '../http/errors';
import { SNIFF_BYTES } from './sniff';
import { uploadsRoot } from './paths';
import { insufficientStorage } from './quota';

export interface StoredFile {
  path: string;
  size: number;
  sha256: string;
  head: Buffer;
}

export function tooLarge(maxBytes: number): AppError {
  return new AppError('payload_too_large', `The file is larger than the ${formatBytes(maxBytes)} upload limit.`);
}

export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) {
    n /= 1024;
    i++;
  }
  return `${Number.isInteger(n) ? n : n.toFixed(1)} ${units[i]}`;
}

export function newTempUploadPath(): string {
  fs.mkdirSync(uploadsRoot(), { recursive: true });
  return path.join(uploadsRoot(), `tmp-${Date.now()}-${randomBytes(8).toString('hex')}.part`);
}

/**
 * Streams `source` into a new temp file; throws 413 past `maxBytes`, and 507 past `roomBytes` (what
 * the disk reserve leaves: a body of unknown length is checked as it arrives). Either way the file is removed.
 */
export async function storeStream(source: Readable | NodeJS.ReadableStream, maxBytes: number, roomBytes = Infinity): Promise<StoredFile> {
  const file = newTempUploadPath();
  const hash = createHash('sha256');
  let size = 0;
  const headParts: Buffer[] = [];
  let headLen = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      size += chunk.length;
      if (size > maxBytes) return cb(tooLarge(maxBytes));
      if (size > roomBytes) return cb(insufficientStorage());
      hash.update(chunk);
      if (headLen < SNIFF_BYTES) {
        headParts.push(chunk.subarray(0, SNIFF_BYTES - headLen));
        headLen += Math.min(chunk.length, SNIFF_BYTES - headLen);
      }
      cb(null, chunk);
    },
  });
  try {
    await pipeline(source as Readable, meter, fs.createWriteStream(file, { mode: 0o600 }));
  } catch (err) {
    fs.rmSync(file, { force: true });
    throw err;
  }
  return { path: file, size, sha256: hash.digest('hex'), head: Buffer.concat(headParts) };
}

/** SHA-256 and head of an existing file (used when a resumable upload completes). */
export async function hashFile(file: string): Promise<StoredFile> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of fs.createReadStream(file)) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  const fd = fs.openSync(file, 'r');
  const head = Buffer.alloc(Math.min(SNIFF_BYTES, size));
  fs.readSync(fd, head, 0, head.length, 0);
  fs.closeSync(fd);
  return { path: file, size, sha256: hash.digest('hex'), head };
}
