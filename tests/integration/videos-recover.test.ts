// A transcode whose worker died is failed (so pg-boss retries it) as soon as its video row stops
// showing signs of life, instead of waiting out the job's hours-long expiry. A live one is left alone.
import { randomBytes } from 'node:crypto';
import { afterAll, expect, test } from 'vitest';
import { db } from '../../lib/db';
import { getBoss, stopBoss } from '../../lib/jobs/boss';
import { transcodeJob, TRANSCODE_QUEUE } from '../../lib/videos/jobs';
import { failStalledTranscodes } from '../../lib/videos/recover';
import { createUser } from '../helpers/auth';

afterAll(() => stopBoss());

async function processingVideo(ownerId: string, lastTouchedSecondsAgo: number) {
  const v = await db.video.create({
    data: { ownerId, title: 't', sha256: randomBytes(32).toString('hex'), sizeBytes: 1n, container: 'mp4', status: 'processing' },
  });
  await db.$executeRaw`UPDATE "Video" SET "updatedAt" = now() AT TIME ZONE 'UTC' - make_interval(secs => ${lastTouchedSecondsAgo}) WHERE id = ${v.id}`;
  return v.id;
}

async function jobState(id: string) {
  const rows = await db.$queryRaw<{ state: string }[]>`SELECT state::text FROM pgboss.job WHERE id = ${id}::uuid`;
  return rows[0]?.state;
}

// The promise: a dead worker's transcode is retried within 3 minutes of its last sign of life (six
// missed 30 s beats), while a slow one that beat 2 minutes ago is left alone.
test('a processing video silent for over 3 minutes gets its active job failed for retry; one heard from 2 minutes ago does not', async () => {
  const owner = await createUser({ role: 'uploader' });
  const dead = await processingVideo(owner.id, 3 * 60 + 10);
  const live = await processingVideo(owner.id, 2 * 60);
  const boss = await getBoss();
  const deadJob = await transcodeJob.enqueue({ videoId: dead });
  const liveJob = await transcodeJob.enqueue({ videoId: live });
  // Take both jobs as a worker would (state: active), then "die".
  const fetched = await boss.fetch(TRANSCODE_QUEUE, { batchSize: 2 });
  expect(fetched?.map((j) => j.id).sort()).toEqual([deadJob, liveJob].sort());
  expect(await jobState(deadJob!)).toBe('active');

  expect(await failStalledTranscodes(boss)).toEqual([dead]);
  expect(await jobState(deadJob!)).toBe('retry');
  expect(await jobState(liveJob!)).toBe('active');
  expect((await db.video.findUniqueOrThrow({ where: { id: dead } })).failureReason).toMatch(/stopped; retrying/);
  expect(await db.auditLog.count({ where: { action: 'video.transcode_stalled', targetId: dead } })).toBe(1);

  // Nothing left to recover: a second sweep is a no-op.
  expect(await failStalledTranscodes(boss)).toEqual([]);
});
