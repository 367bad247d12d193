// A worker killed mid-transcode leaves its pg-boss job `active` until the job's expiry (hours, since
// a long source legitimately takes that long). Every running transcode touches its video row every
// TRANSCODE_BEAT_MS, so a `processing` video untouched for STALL_S belongs to a dead worker: fail its
// job now and pg-boss retries it at once instead of hours later. The dead attempt's work folder was
// never served. The same sweep cancels abandoned uploads (liveness.ts holds every timing).
import fs from 'node:fs';
import path from 'node:path';
import type PgBoss from 'pg-boss';
import { db } from '../db';
import { recordAudit } from '../audit/record';
import { systemActor } from '../auth/actor';
import { logger, errorFields } from '../logger';
import { TRANSCODE_QUEUE } from './jobs';
import { STALL_S } from './liveness';
import { assertSafeId, workRoot } from './paths';
import { removeExpiredUploads } from './resumable';

export async function failStalledTranscodes(boss: PgBoss, now = new Date(), stallS = STALL_S): Promise<string[]> {
  const cutoff = new Date(now.getTime() - stallS * 1000).toISOString();
  const rows = await db.$queryRaw<{ jobId: string; videoId: string }[]>`
    SELECT j.id::text AS "jobId", v.id AS "videoId"
    FROM pgboss.job j
    JOIN "Video" v ON v.id = j.data->>'videoId'
    WHERE j.name = ${TRANSCODE_QUEUE} AND j.state = 'active'
      AND v.status = 'processing' AND v."updatedAt" < ${cutoff}::timestamp`;
  for (const { jobId, videoId } of rows) {
    await boss.fail(TRANSCODE_QUEUE, jobId, { reason: `no sign of life for ${stallS} s: the worker running it stopped` });
    await db.video.update({ where: { id: videoId }, data: { failureReason: 'The worker transcoding this video stopped; retrying.' } });
    await recordAudit({
      actor: systemActor('video-transcode-recover'),
      action: 'video.transcode_stalled',
      target: { type: 'video', id: videoId },
      detail: { jobId, stallS },
    });
  }
  return rows.map((r) => r.videoId);
}

/**
 * In-progress streams nobody will resume: those of videos published since (normally removed at the
 * publish; this catches a publish whose clean-up was cut short) or failed for over `afterS` (a
 * failed attempt is retried within seconds; a video still failed after that has given up). Their
 * keys and staging areas are removed.
 */
export async function removeAbandonedStreams(now = new Date(), afterS = 15 * 60): Promise<number> {
  const cutoff = new Date(now.getTime() - afterS * 1000);
  const rows = await db.videoLiveKey.findMany({
    where: { video: { OR: [{ status: 'ready' }, { status: 'failed', updatedAt: { lt: cutoff } }] } },
    distinct: ['videoId', 'attempt'],
    select: { videoId: true, attempt: true },
  });
  for (const r of rows) {
    fs.rmSync(path.join(workRoot(), assertSafeId(r.attempt)), { recursive: true, force: true });
    await db.videoLiveKey.deleteMany({ where: { videoId: r.videoId, attempt: r.attempt } });
    await db.video.updateMany({ where: { id: r.videoId, liveAttempt: r.attempt }, data: { liveAttempt: null, liveAt: null } });
  }
  return rows.length;
}

/** The worker's periodic video sweep: stalled transcodes are failed for retry, abandoned uploads removed. */
export async function sweepVideos(boss: PgBoss, now = new Date()): Promise<{ stalled: string[]; expiredUploads: number }> {
  const stalled = await failStalledTranscodes(boss, now).catch((err) => {
    logger.warn('stalled-transcode sweep failed', errorFields(err));
    return [] as string[];
  });
  if (stalled.length) logger.warn('retrying transcodes of a dead worker', { videoIds: stalled });
  const expiredUploads = await removeExpiredUploads(now).catch((err) => {
    logger.warn('expired-upload sweep failed', errorFields(err));
    return 0;
  });
  if (expiredUploads) logger.info('removed abandoned uploads', { expiredUploads });
  const streams = await removeAbandonedStreams(now).catch((err) => {
    logger.warn('abandoned-stream sweep failed', errorFields(err));
    return 0;
  });
  if (streams) logger.info('removed in-progress streams nobody will resume', { streams });
  return { stalled, expiredUploads };
}
