// Transcode jobs: the handler, the sweep that retries a dead worker's transcodes, and the clean-up
// a worker does when it starts.
import type PgBoss from 'pg-boss';
import { errorFields, logger } from '../lib/logger';
import { jobs } from '../lib/jobs/definitions';
import { createJobRunner, type JobContext } from '../lib/jobs/runner';
import { processVideo, removeStaleWork } from '../lib/videos/process';
import { removeExpiredUploads } from '../lib/videos/resumable';
import { failStalledTranscodes } from '../lib/videos/recover';

/** Clears what a killed worker left: work folders (never served) and expired uploads. */
export async function cleanUpTranscodeLeftovers(): Promise<void> {
  // A retry of the same video clears its dead earlier attempts' folders; old ones go here.
  const removed = removeStaleWork(undefined, 6 * 3600_000);
  if (removed) logger.info('removed stale transcode work folders', { removed });
  const expired = await removeExpiredUploads().catch((err: unknown) => {
    logger.warn('removing expired uploads failed', errorFields(err));
    return 0;
  });
  if (expired) logger.info('removed expired uploads', { expired });
}

export async function transcodeVideo({ videoId }: { videoId: string }): Promise<void> {
  await processVideo(videoId);
}

/** Any worker may notice another one's dead transcode; failing a job twice is harmless. */
export async function sweepStalledTranscodes(_data: unknown, { boss }: JobContext): Promise<{ retried: string[] }> {
  const retried = await failStalledTranscodes(boss);
  if (retried.length) logger.warn('retrying transcodes of a dead worker', { videoIds: retried });
  return { retried };
}

/** The transcode wiring alone (the crash test's worker process runs just this). */
export async function registerTranscode(boss: PgBoss): Promise<() => Promise<void>> {
  await cleanUpTranscodeLeftovers();
  const runner = createJobRunner(boss);
  await runner.register(jobs.videoTranscode, transcodeVideo, { pollingIntervalSeconds: 1 });
  await runner.register(jobs.videoTranscodeSweep, sweepStalledTranscodes);
  return () => runner.stop();
}
