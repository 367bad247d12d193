// Turning a stored upload into a Video: content checks (magic bytes + ffprobe), SHA-256 dedupe,
// moving the file to its generated name, and queueing the transcode. Dedupe is per uploader: the
// same uploader sending the same bytes again gets their existing video back; the same bytes from
// someone else make a new video of theirs, so an upload reveals nothing about other people's.
import fs from 'node:fs';
import path from 'node:path';
import { db } from '../db';
import { AppError } from '../http/errors';
import { assertCan } from '../auth/permissions';
import { recordAudit } from '../audit/record';
import { logger } from '../logger';
import type { RequestMeta, UserActor } from '../auth/actor';
import { sniffContainer } from './sniff';
import { probe, ProbeError } from './probe';
import { publicFailureReason } from './media-errors';
import { sourcePath } from './paths';
import type { StoredFile } from './storage';
import { transcodeJob } from './jobs';
import { buildSearchText } from './search-text';
import type { VideoMeta } from './schemas';

export { videoMetaSchema, type VideoMeta } from './schemas';

export interface IngestResult {
  id: string;
  status: string;
  duplicate: boolean;
}

/** Options for tests and scripts: skip queueing (the caller runs transcodeVideo itself). */
export interface IngestOptions {
  enqueue?: boolean;
  meta?: Partial<RequestMeta>;
}

export async function ingestUpload(actor: UserActor, file: StoredFile, meta: VideoMeta, opts: IngestOptions = {}): Promise<IngestResult> {
  assertCan(actor, 'videos:upload');
  try {
    const container = sniffContainer(file.head);
    if (!container) {
      throw new AppError(
        'unsupported_media_type',
        'This file is not a supported video (mp4, mov, mkv, webm or avi). The type is checked from the content, not the file name.',
      );
    }
    const mine = { ownerId_sha256: { ownerId: actor.id, sha256: file.sha256 } };
    const existing = await db.video.findUnique({ where: mine, select: { id: true, status: true } });
    if (existing) return { id: existing.id, status: existing.status, duplicate: true };

    let info;
    try {
      info = await probe(file.path);
    } catch (err) {
      if (err instanceof ProbeError) {
        // ffprobe names the file by its path on our disk: the uploader gets the reason without it.
        logger.warn('upload is not a playable video', { userId: actor.id, error: err.message, detail: err.detail });
        throw new AppError('unprocessable', publicFailureReason(err), { status: 422 });
      }
      throw err;
    }
    let video;
    try {
      video = await db.video.create({
        data: {
          ownerId: actor.id,
          title: meta.title,
          description: meta.description,
          category: meta.category ?? null,
          tags: meta.tags,
          people: meta.people,
          searchText: buildSearchText(meta),
          sha256: file.sha256,
          sizeBytes: BigInt(file.size),
          container,
          durationS: info.durationS,
          width: info.width,
          height: info.height,
          hasAudio: info.hasAudio,
        },
      });
    } catch (err) {
      if ((err as { code?: string }).code === 'P2002') {
        const dup = await db.video.findUnique({ where: mine, select: { id: true, status: true } });
        if (dup) return { id: dup.id, status: dup.status, duplicate: true };
      }
      throw err;
    }
    const dest = sourcePath(video.id);
    fs.mkdirSync(path.dirname(dest), { recursive: true });
    fs.renameSync(file.path, dest);
    await recordAudit({
      actor,
      action: 'video.upload',
      target: { type: 'video', id: video.id },
      meta: opts.meta,
      detail: { title: meta.title, size: file.size, container, sha256: file.sha256 },
    });
    if (opts.enqueue !== false) await transcodeJob.enqueue({ videoId: video.id });
    return { id: video.id, status: video.status, duplicate: false };
  } finally {
    fs.rmSync(file.path, { force: true });
  }
}
