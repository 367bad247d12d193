// Transcode jobs: the handler (FFmpeg gets the worker's shutdown signal), the sweep that retries a
// dead worker's transcodes and cancels abandoned uploads, and the clean-up a worker does when it starts.
import type PgBoss from 'pg-boss';
import { logger } from '../lib/logger';
import { jobs } from '../lib/jobs/definitions';
import { createJobRunner, type JobContext } from '../lib/jobs/runner';
import { removeStaleWork, transcodeVideo as runTranscode } from '../lib/videos/transcode-video';
import { sweepVideos } from '../lib/videos/recover';
import { STALE_WORK_AT_START_MS } from '../lib/videos/liveness';

/** Clears what a killed worker left: work folders untouched for hours (they are never served). */
export async function cleanUpTranscodeLeftovers(): Promise<void> {
  // A retry of the same video clears its dead earlier attempts' folders; old ones go here.
  const removed = removeStaleWork(undefined, STALE_WORK_AT_START_MS);
  if (removed) logger.info('removed stale transcode work folders', { removed });
}

// pg-boss 10 gives handlers no signal. Its graceful stop waits for running jobs, then fails the
// ones still active ('pg-boss shut down while active') and emits `stopped`: from then on their
// FFmpeg works for nobody (the process exits, FFmpeg would live on as an orphan), so it is killed.
const stopSignals = new WeakMap<PgBoss, AbortSignal>();
function stopSignalOf(boss: PgBoss): AbortSignal {
  let signal = stopSignals.get(boss);
  if (!signal) {
    const controller = new AbortController();
    boss.once('stopped', () => controller.abort());
    signal = controller.signal;
    stopSignals.set(boss, signal);
  }
  return signal;
}

export async function transcodeVideo({ videoId }: { videoId: string }, { boss }: JobContext): Promise<void> {
  await runTranscode(videoId, { signal: stopSignalOf(boss) });
}

/** Any worker may notice another one's dead transcode; failing a job twice is harmless. */
export async function sweepStalledTranscodes(_data: unknown, { boss }: JobContext) {
  const { stalled, expiredUploads } = await sweepVideos(boss);
  return { retried: stalled, expiredUploads };
}

/** The transcode wiring alone (the crash test's worker process runs just this). */
export async function registerTranscode(boss: PgBoss): Promise<() => Promise<void>> {
  await cleanUpTranscodeLeftovers();
  stopSignalOf(boss);
  const runner = createJobRunner(boss);
  await runner.register(jobs.videoTranscode, transcodeVideo, { pollingIntervalSeconds: 1 });
  await runner.register(jobs.videoTranscodeSweep, sweepStalledTranscodes);
  return () => runner.stop();
}
