// A worker killed mid-transcode leaves its pg-boss job `active` until the job's expiry (hours, since
// a long source legitimately takes that long). Every running transcode touches its video row every
// 30 s, so a `processing` video untouched for STALL_S belongs to a dead worker: fail its job now and
// pg-boss retries it at once instead of hours later. The dead attempt's work folder was never served.
import type PgBoss from 'pg-boss';
import { db } from '../db';
import { recordAudit } from '../audit/record';
import { systemActor } from '../auth/actor';
import { TRANSCODE_QUEUE } from './jobs';

export const STALL_S = 180;

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
