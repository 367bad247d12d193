// A worker that shuts down waits a while for its running transcode, then gives the job back to
// pg-boss (which retries it) and kills its FFmpeg: an FFmpeg left running would encode for nobody,
// outlive the worker process and compete with the retry for the CPU.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import PgBoss from 'pg-boss';
import { afterAll, expect, test } from 'vitest';
import { createUser } from '../helpers/auth';
import { db } from '@/lib/db';
import { stopBoss } from '@/lib/jobs/boss';
import { transcodeJob } from '@/lib/videos/jobs';
import { registerTranscode } from '../../workers/transcode';
import { mediaDir, ingestGeneratedClip } from './videos-helpers';
import { waitFor as waitForEvery } from '../helpers/wait';

const waitFor = <T>(what: string, fn: () => Promise<T | null | undefined | false> | T | null | undefined | false, timeoutMs: number) => waitForEvery(what, fn, timeoutMs, 100);

/** FFmpeg processes this test process started (fluent-ffmpeg spawns them directly). */
function ffmpegChildren(): number[] {
  let out = '';
  try {
    out = execFileSync('ps', ['--ppid', String(process.pid), '-o', 'pid=,comm='], { encoding: 'utf8' });
  } catch {
    return []; // ps exits 1 when there are no children
  }
  return out
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .filter(([, comm]) => comm === 'ffmpeg')
    .map(([pid]) => Number(pid));
}

afterAll(async () => {
  for (const pid of ffmpegChildren()) process.kill(pid, 'SIGKILL');
  await stopBoss();
  fs.rmSync(mediaDir, { recursive: true, force: true });
});

test('stopping the worker mid-transcode kills its FFmpeg and hands the job back for a retry', { timeout: 180_000 }, async () => {
  const uploader = await createUser({ role: 'uploader' });
  const { id } = await ingestGeneratedClip(uploader, 'shutdown', { seconds: 30, size: '1280x720' }, 'Stopped');

  const boss = new PgBoss({ connectionString: process.env.DATABASE_URL!, max: 4 } as PgBoss.ConstructorOptions);
  boss.on('error', () => {});
  await boss.start();
  await registerTranscode(boss);
  const jobId = await transcodeJob.enqueue({ videoId: id });

  const [pid] = await waitFor('FFmpeg running the ladder', async () => {
    const v = await db.video.findUniqueOrThrow({ where: { id } });
    const kids = ffmpegChildren();
    return v.status === 'processing' && kids.length > 0 ? kids : null;
  }, 60_000);

  // The worker's SIGTERM path: stop intake, wait (here 1 s) for running jobs, then shut down.
  await boss.stop({ graceful: true, wait: true, timeout: 1000 });
  await waitFor('FFmpeg gone', () => ffmpegChildren().length === 0, 5_000);
  expect(() => process.kill(pid!, 0)).toThrow();

  const v = await waitFor('the attempt recorded as stopped', async () => {
    const row = await db.video.findUniqueOrThrow({ where: { id } });
    return row.status === 'failed' ? row : null;
  }, 10_000);
  expect(v.failureReason).toBe('The transcode was stopped before it finished.');
  // pg-boss failed the active job at shutdown: it is retried (by this or another worker).
  const [job] = await db.$queryRaw<{ state: string }[]>`SELECT state::text FROM pgboss.job WHERE id = ${jobId}::uuid`;
  expect(job?.state).toBe('retry');
});
