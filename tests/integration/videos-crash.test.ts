// Acceptance 4: the worker is SIGKILLed mid-transcode; nothing half-made is published as final, the
// in-progress stream (growing EVENT playlists of the dead attempt's staging area) keeps being served,
// and after a restart pg-boss expires the dead attempt and retries it to completion, the resumed job
// serving the same stream (never shrinking) until its own has caught up.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, type TestUser } from '../helpers/auth';
import { db } from '@/lib/db';
import { getBoss, stopBoss } from '@/lib/jobs/boss';
import { transcodeJob, TRANSCODE_QUEUE } from '@/lib/videos/jobs';
import { publishedDir, workRoot } from '@/lib/videos/paths';
import * as hlsRoute from '@/app/api/videos/[id]/hls/[...path]/route';
import { createDecipheriv } from 'node:crypto';
import { firstSegmentOf, isTransportStream, mediaDir, ingestGeneratedClip } from './videos-helpers';
import { waitFor as waitForEvery } from '../helpers/wait';

const waitFor = <T>(what: string, fn: () => Promise<T | null | undefined | false> | T | null | undefined | false, timeoutMs: number) => waitForEvery(what, fn, timeoutMs, 200);

const children: ChildProcess[] = [];
let uploader: TestUser;

function startWorker(): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'videos-crash-worker.ts')], {
    cwd: path.resolve(__dirname, '../..'),
    env: { ...process.env, TRANSCODE_PRESET: 'veryfast', LOG_LEVEL: 'warn' },
    detached: true, // own process group: killing it kills FFmpeg too, like a container dying
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stderr!.on('data', () => {});
  child.stdout!.on('data', () => {});
  children.push(child);
  return child;
}

const segmentsInWork = () => {
  if (!fs.existsSync(workRoot())) return [];
  return (fs.readdirSync(workRoot(), { recursive: true }) as string[]).filter((f) => f.endsWith('.ts'));
};

beforeAll(async () => {
  uploader = await createUser({ role: 'uploader' });
});
afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) process.kill(-c.pid!, 'SIGKILL');
  await stopBoss();
  fs.rmSync(mediaDir, { recursive: true, force: true });
});

async function hls(id: string, cookie: Record<string, string>, rel: string) {
  const url = new URL(rel, `http://localhost:3000/api/videos/${id}/hls/`);
  const parts = url.pathname.split('/hls/')[1]!.split('/');
  const res = await hlsRoute.GET(new Request(url, { headers: cookie }), { params: Promise.resolve({ id, path: parts }) });
  return { status: res.status, body: Buffer.from(await res.arrayBuffer()), url: url.toString() };
}

/** The in-progress stream as a player sees it: rung 0's playlist, and its first segment decrypted with its key. */
async function readLiveStream(id: string, cookie: Record<string, string>) {
  const master = await hls(id, cookie, 'master.m3u8');
  expect(master.status).toBe(200);
  const variant = await hls(id, cookie, 'v0/index.m3u8');
  expect(variant.status).toBe(200);
  const text = variant.body.toString('utf8');
  const first = firstSegmentOf(text, variant.url);
  const key = await hls(id, cookie, first.keyUrl);
  const seg = await hls(id, cookie, first.segmentUrl);
  expect(key.status).toBe(200);
  expect(seg.status).toBe(200);
  const d = createDecipheriv('aes-128-cbc', key.body, first.iv);
  return { master: master.body.toString('utf8'), text, segments: (text.match(/^seg_/gm) ?? []).length, clear: Buffer.concat([d.update(seg.body), d.final()]) };
}

describe('crash safety', () => {
  it('a killed worker publishes nothing final, its in-progress stream keeps serving, and the job is retried to completion', { timeout: 600_000 }, async () => {
    const { id, cookie } = await ingestGeneratedClip(uploader, 'crash', { seconds: 30, size: '1280x720' }, 'Crash me');
    // Short expiry for the test (production: hours) so the dead attempt is noticed quickly, yet long
    // enough that the retried attempt is not expired too on a loaded 2-core CI machine.
    await transcodeJob.enqueue({ videoId: id }, { expireInSeconds: 60, retryLimit: 2, retryDelay: 0 });

    const first = startWorker();
    // Killed once its stream is watchable (every rung has a first segment), well before the end.
    const live = await waitFor('a watchable in-progress stream', async () => {
      const v = await db.video.findUnique({ where: { id } });
      if (v?.status === 'ready') throw new Error('the job finished before it could be killed');
      return v?.liveAt ? v : null;
    }, 300_000);
    process.kill(-first.pid!, 'SIGKILL');
    await new Promise((r) => first.once('exit', r));

    // Dead mid-job: nothing is published, no final playlist exists, the video is still processing …
    expect((await db.video.findUniqueOrThrow({ where: { id } })).status).toBe('processing');
    expect(segmentsInWork().length).toBeGreaterThan(0);
    expect(fs.existsSync(publishedDir(id))).toBe(false);
    // … and the in-progress stream is still served, growing-style, with its rung's key.
    const dead = await readLiveStream(id, cookie);
    expect(dead.master.match(/#EXT-X-STREAM-INF/g)).toHaveLength(3);
    expect(dead.text).toContain('#EXT-X-PLAYLIST-TYPE:EVENT');
    expect(dead.text).not.toContain('#EXT-X-ENDLIST');
    expect(isTransportStream(dead.clear)).toBe(true);
    for (const parts of [['poster.jpg'], ['storyboard.vtt']]) expect((await hls(id, cookie, parts.join('/'))).status).toBe(403);

    // Restart: pg-boss expires the dead attempt and retries it. The resumed job keeps serving the
    // stream: every read succeeds and the playlist never loses a segment, until the video is ready.
    startWorker();
    let served = dead.segments;
    let resumedOwnStream = false;
    const ready = await waitFor(
      'ready',
      async () => {
        const v = await db.video.findUniqueOrThrow({ where: { id } });
        if (v.status === 'ready') return v;
        expect(v.status).toBe('processing');
        if (v.liveAttempt && v.liveAttempt !== live.liveAttempt) resumedOwnStream = true;
        const now = await readLiveStream(id, cookie);
        if (now.text.includes('#EXT-X-ENDLIST')) {
          // Published between the status read and the playlist read: the final VOD playlist, never a
          // half-made one, and the video says ready from now on.
          expect(now.text).toContain('#EXT-X-PLAYLIST-TYPE:VOD');
          expect((await db.video.findUniqueOrThrow({ where: { id } })).status).toBe('ready');
          return null;
        }
        expect(isTransportStream(now.clear)).toBe(true);
        expect(now.segments).toBeGreaterThanOrEqual(served);
        served = now.segments;
        await new Promise((r) => setTimeout(r, 500));
        return null;
      },
      480_000,
    );
    expect(ready.attempts).toBeGreaterThanOrEqual(2);
    expect(ready.failureReason).toBeNull();
    expect(ready.liveAttempt).toBeNull();
    expect(resumedOwnStream || served >= dead.segments).toBe(true);
    const boss = await getBoss();
    // pg-boss marks the job completed just after the handler returns: wait for that, not the video.
    const jobs = await waitFor(
      'job completed',
      async () => {
        const rows = await db.$queryRawUnsafe<{ state: string; retry_count: number }[]>(
          `SELECT state, retry_count FROM pgboss.job WHERE name = $1 UNION ALL SELECT state, retry_count FROM pgboss.archive WHERE name = $1`,
          TRANSCODE_QUEUE,
        );
        return rows.length === 1 && rows[0]!.state === 'completed' ? rows : null;
      },
      // Should the retried attempt still have outlived its expiry, a third one runs: it completes too.
      240_000,
    );
    expect(boss).toBeTruthy();
    expect(jobs).toHaveLength(1);
    expect(jobs[0]!.state).toBe('completed');
    expect(jobs[0]!.retry_count).toBeGreaterThanOrEqual(1);
    // The dead attempt's staging area went with the publish.
    expect(segmentsInWork()).toEqual([]);
    const master = await hls(id, cookie, 'master.m3u8');
    expect(master.status).toBe(200);
    expect(master.body.toString('utf8').match(/#EXT-X-STREAM-INF/g)).toHaveLength(3);
    const final = await hls(id, cookie, 'v0/index.m3u8');
    expect(final.body.toString('utf8')).toContain('#EXT-X-PLAYLIST-TYPE:VOD');
    expect(final.body.toString('utf8')).toContain('#EXT-X-ENDLIST');
  });
});
