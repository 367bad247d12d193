// Transcode consumers: TRANSCODE_CONCURRENCY work() loops (each runs one job at a time), and the
// periodic video sweep (stalled transcodes, abandoned uploads).
import type PgBoss from 'pg-boss';
import { env } from '../lib/env';
import { logger } from '../lib/logger';
import { transcodeJob } from '../lib/videos/jobs';
import { removeStaleWork, transcodeVideo } from '../lib/videos/transcode-video';
import { sweepVideos } from '../lib/videos/recover';
import { STALE_WORK_AT_START_MS, VIDEO_SWEEP_INTERVAL_MS } from '../lib/videos/liveness';

export async function registerTranscode(boss: PgBoss): Promise<() => void> {
  // Work folders left by a killed worker are never served; old ones are cleared at startup (a retry
  // of the same video clears its dead earlier attempts' folders, those untouched for STALL_S).
  const removed = removeStaleWork(undefined, STALE_WORK_AT_START_MS);
  if (removed) logger.info('removed stale transcode work folders', { removed });
  // pg-boss 10 gives handlers no signal. Its graceful stop waits for running jobs, then fails the
  // ones still active ('pg-boss shut down while active') and emits `stopped`: from then on their
  // FFmpeg works for nobody (the process exits, FFmpeg would live on as an orphan), so it is killed.
  const shutdown = new AbortController();
  boss.once('stopped', () => shutdown.abort());
  for (let i = 0; i < env.TRANSCODE_CONCURRENCY; i++) {
    await transcodeJob.work(boss, async ({ videoId }) => {
      await transcodeVideo(videoId, { signal: shutdown.signal });
    });
  }
  // Any worker may notice another one's dead transcode; failing a job twice is harmless.
  const sweep = () => void sweepVideos(boss);
  sweep();
  const timer = setInterval(sweep, VIDEO_SWEEP_INTERVAL_MS);
  timer.unref();
  return () => {
    clearInterval(timer);
    shutdown.abort();
  };
}
