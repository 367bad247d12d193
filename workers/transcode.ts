// Transcode consumers: TRANSCODE_CONCURRENCY work() loops (each runs one job at a time).
import type PgBoss from 'pg-boss';
import { env } from '../lib/env';
import { errorFields, logger } from '../lib/logger';
import { transcodeJob } from '../lib/videos/jobs';
import { processVideo, removeStaleWork } from '../lib/videos/process';
import { removeExpiredUploads } from '../lib/videos/resumable';
import { failStalledTranscodes } from '../lib/videos/recover';

export async function registerTranscode(boss: PgBoss): Promise<() => void> {
  // Work folders left by a killed worker are never served; old ones are cleared at startup (a retry
  // of the same video clears its dead earlier attempts' folders, those untouched for STALL_S).
  const removed = removeStaleWork(undefined, 6 * 3600_000);
  if (removed) logger.info('removed stale transcode work folders', { removed });
  const expired = await removeExpiredUploads().catch(() => 0);
  if (expired) logger.info('removed expired uploads', { expired });
  for (let i = 0; i < env.TRANSCODE_CONCURRENCY; i++) {
    await transcodeJob.work(boss, async ({ videoId }) => {
      await processVideo(videoId);
    });
  }
  // Any worker may notice another one's dead transcode; failing a job twice is harmless.
  const sweep = setInterval(() => {
    failStalledTranscodes(boss)
      .then((ids) => ids.length && logger.warn('retrying transcodes of a dead worker', { videoIds: ids }))
      .catch((err) => logger.warn('stalled-transcode sweep failed', errorFields(err)));
  }, 60_000);
  sweep.unref();
  return () => clearInterval(sweep);
}
