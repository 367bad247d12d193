// What an upload may use before its body is read: the per-user upload rate limit, and the disk,
// which must keep UPLOAD_DISK_RESERVE_MB free after the upload lands (a full disk would also stop
// PostgreSQL, transcodes and logs, not just this upload).
import fs from 'node:fs';
import { env } from '../env';
import { AppError } from '../http/errors';
import { assertCan } from '../auth/permissions';
import { logger } from '../logger';
import { enforceRateLimit, POLICIES } from '../rate-limit';
import type { UserActor } from '../auth/actor';
import { uploadsRoot } from './paths';

/** Free bytes for unprivileged writers on the filesystem holding the uploads folder. */
export async function freeUploadBytes(): Promise<number> {
  const dir = uploadsRoot();
  await fs.promises.mkdir(dir, { recursive: true });
  const st = await fs.promises.statfs(dir);
  return st.bavail * st.bsize;
}

export function insufficientStorage(): AppError {
  return new AppError('insufficient_storage', 'The server is running out of disk space, so uploads are paused. Ask an admin to free some space.', {
    status: 507,
  });
}

/** Bytes an upload may still write before the disk reserve is reached (negative when it already is). */
export async function diskRoomBytes(): Promise<number> {
  return (await freeUploadBytes()) - env.UPLOAD_DISK_RESERVE_MB * 1024 * 1024;
}

/** 507 `insufficient_storage` when `incomingBytes` more would leave less than the reserve free. */
export async function assertDiskRoom(incomingBytes: number): Promise<void> {
  const room = await diskRoomBytes();
  if (room - Math.max(0, incomingBytes) >= 0) return;
  logger.warn('upload refused: disk reserve reached', { roomBytes: room, incomingBytes, reserveMb: env.UPLOAD_DISK_RESERVE_MB });
  throw insufficientStorage();
}

/**
 * Gate of every new upload (a one-request upload, or the start of a resumable one): permission, the
 * per-user upload rate limit (429 with Retry-After), and room on disk for `sizeBytes`.
 */
export async function assertUploadAllowed(actor: UserActor, sizeBytes: number): Promise<void> {
  assertCan(actor, 'videos:upload');
  await enforceRateLimit(`user:${actor.id}`, POLICIES.upload);
  await assertDiskRoom(sizeBytes);
}
