// The transcode job's domain function (called by the worker, and directly by tests).
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { db } from '../db';
import { env } from '../env';
import { encryptBytes } from '../crypto/encryption';
import { recordAudit } from '../audit/record';
import { systemActor } from '../auth/actor';
import { publishedDir, sourcePath, workRoot } from './paths';
import { buildHls, publishAtomically } from './transcode';

/** How often a running transcode touches its video row (see failStalledTranscodes). */
export const TRANSCODE_LIVENESS_MS = 30_000;

export function keyAad(videoId: string, rendition: string): string {
  return `video-key:${videoId}:${rendition}`;
}

/** Removes work folders of earlier attempts for this video (a crashed worker leaves them behind). */
export function removeStaleWork(videoId?: string, olderThanMs = 0): number {
  const root = workRoot();
  if (!fs.existsSync(root)) return 0;
  let n = 0;
  for (const name of fs.readdirSync(root)) {
    if (videoId && !name.startsWith(`${videoId}-`)) continue;
    if (olderThanMs && Date.now() - fs.statSync(path.join(root, name)).mtimeMs < olderThanMs) continue;
    fs.rmSync(path.join(root, name), { recursive: true, force: true });
    n++;
  }
  return n;
}

export async function processVideo(videoId: string, opts: { signal?: AbortSignal; preset?: string } = {}): Promise<'ready' | 'skipped'> {
  const video = await db.video.findUnique({ where: { id: videoId } });
  if (!video || video.status === 'ready') return 'skipped';
  removeStaleWork(videoId);
  await db.video.update({
    where: { id: videoId },
    data: { status: 'processing', progress: 0, failureReason: null, attempts: { increment: 1 } },
  });
  const workDir = path.join(workRoot(), `${videoId}-${randomBytes(4).toString('hex')}`);
  fs.mkdirSync(workDir, { recursive: true, mode: 0o700 });
  let lastPct = 0;
  let lastWrite = 0;
  let writing: Promise<unknown> = Promise.resolve();
  // Liveness: touch the row every 30 s even when the percentage does not move (a long 4K source can
  // spend minutes per percent), so failStalledTranscodes can tell a dead worker from a slow encode.
  const alive = setInterval(() => {
    writing = writing.then(() => db.video.update({ where: { id: videoId }, data: { updatedAt: new Date() } }).catch(() => {}));
  }, TRANSCODE_LIVENESS_MS);
  alive.unref();
  const onProgress = (pct: number) => {
    const now = Date.now();
    if (pct >= 100 || pct <= lastPct || now - lastWrite < 1000) return;
    lastPct = pct;
    lastWrite = now;
    writing = writing.then(() => db.video.update({ where: { id: videoId }, data: { progress: pct } }).catch(() => {}));
  };
  try {
    const built = await buildHls({
      sourcePath: sourcePath(videoId),
      workDir,
      signal: opts.signal,
      onProgress,
      preset: opts.preset ?? env.TRANSCODE_PRESET,
    });
    await writing;
    await db.$transaction([
      db.videoRendition.deleteMany({ where: { videoId } }),
      db.videoRendition.createMany({
        data: built.renditions.map((r) => ({
          videoId,
          name: r.rung.name,
          width: r.rung.width,
          height: r.rung.height,
          bandwidth: r.bandwidth,
          averageBandwidth: r.averageBandwidth,
          codecs: r.codecs,
          keyEnc: encryptBytes(r.key, undefined, keyAad(videoId, r.rung.name)),
          ivHex: r.iv.toString('hex'),
        })),
      }),
    ]);
    publishAtomically(built.outDir, publishedDir(videoId));
    await db.video.update({
      where: { id: videoId },
      data: {
        status: 'ready',
        progress: 100,
        durationS: built.probe.durationS,
        width: built.probe.width,
        height: built.probe.height,
        hasAudio: built.probe.hasAudio,
        publishedAt: new Date(),
      },
    });
    await recordAudit({
      actor: systemActor('video-transcode'),
      action: 'video.transcoded',
      target: { type: 'video', id: videoId },
      detail: { renditions: built.renditions.map((r) => r.rung.height) },
    });
    return 'ready';
  } catch (err) {
    await writing;
    const detail = (err as { reason?: string; detail?: string }).reason ?? (err as { detail?: string }).detail;
    const reason = err instanceof Error ? `${err.message}${detail ? ` ${detail}` : ''}` : String(err);
    await db.video
      .update({ where: { id: videoId }, data: { status: 'failed', progress: 0, failureReason: reason.slice(0, 2000) } })
      .catch(() => {});
    throw err;
  } finally {
    clearInterval(alive);
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}
