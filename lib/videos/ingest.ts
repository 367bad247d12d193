// Turning a stored upload into a Video: content checks (magic bytes + ffprobe), SHA-256 dedupe,
// moving the file to its generated name, and queueing the transcode.
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { db } from '../db';
import { AppError } from '../http/errors';
import { assertCan } from '../auth/permissions';
import { recordAudit } from '../audit/record';
import type { RequestMeta, UserActor } from '../auth/actor';
import { sniffContainer } from './sniff';
import { probe, ProbeError } from './probe';
import { sourcePath } from './paths';
import type { StoredFile } from './storage';
import { transcodeJob } from './jobs';
import { buildSearchText } from './search-text';

export const videoMetaSchema = z.object({
  title: z.string().trim().min(1).max(200),
  description: z.string().max(5000).default(''),
  category: z.string().trim().max(80).nullish(),
  tags: z.array(z.string().trim().min(1).max(60)).max(50).default([]),
  people: z.array(z.string().trim().min(1).max(100)).max(50).default([]),
});
export type VideoMeta = z.infer<typeof videoMetaSchema>;

export interface IngestResult {
  id: string;
  status: string;
  duplicate: boolean;
}

/** Options for tests and scripts: skip queueing (the caller runs processVideo itself). */
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
    const existing = await db.video.findUnique({ where: { sha256: file.sha256 }, select: { id: true, status: true } });
    if (existing) return { id: existing.id, status: existing.status, duplicate: true };

    let info;
    try {
      info = await probe(file.path);
    } catch (err) {
      if (err instanceof ProbeError) {
        throw new AppError('unprocessable', `${err.message}${err.detail ? ` (${err.detail})` : ''}`, { status: 422 });
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
        const dup = await db.video.findUnique({ where: { sha256: file.sha256 }, select: { id: true, status: true } });
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
