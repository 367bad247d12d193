// Acceptance 4: the worker is SIGKILLed mid-transcode; nothing partial is served, and after a
// restart pg-boss expires the dead attempt and retries it to completion.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authHeaders, createUser, type TestUser } from '../helpers/auth';
import { db } from '@/lib/db';
import { getBoss, stopBoss } from '@/lib/jobs/boss';
import { transcodeJob, TRANSCODE_QUEUE } from '@/lib/videos/jobs';
import { ingestUpload } from '@/lib/videos/ingest';
import { hashFile } from '@/lib/videos/storage';
import { publishedDir, workRoot } from '@/lib/videos/paths';
import { actorFromSessionToken } from '@/lib/auth/session';
import * as hlsRoute from '@/app/api/videos/[id]/hls/[...path]/route';
import { makeClip, mediaDir } from './videos-helpers';

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

async function waitFor<T>(what: string, fn: () => Promise<T | null | undefined | false>, timeoutMs: number): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
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

describe('crash safety', () => {
  it('a killed worker leaves nothing served, and the job is retried to completion after restart', { timeout: 180_000 }, async () => {
    const src = makeClip('crash.mp4', { seconds: 6 });
    const tmp = path.join(process.env.DATA_DIR!, 'uploads', 'crash-copy.part');
    fs.mkdirSync(path.dirname(tmp), { recursive: true });
    fs.copyFileSync(src, tmp);
    const cookie = await authHeaders(uploader);
    const actor = (await actorFromSessionToken(cookie.cookie!.split('=')[1]))!;
    const { id } = await ingestUpload(actor, await hashFile(tmp), { title: 'Crash me', description: '', tags: [], people: [] }, { enqueue: false });
    // Short expiry for the test (production: hours) so the dead attempt is noticed quickly.
    await transcodeJob.enqueue({ videoId: id }, { expireInSeconds: 30, retryLimit: 2, retryDelay: 0 });

    const first = startWorker();
    await waitFor('partial output', async () => segmentsInWork().length > 0 && (await db.video.findUnique({ where: { id } }))?.status === 'processing', 60_000);
    process.kill(-first.pid!, 'SIGKILL');
    await new Promise((r) => first.once('exit', r));

    // Dead mid-job: partial segments exist in the work area only; nothing is published or served.
    expect((await db.video.findUniqueOrThrow({ where: { id } })).status).toBe('processing');
    expect(segmentsInWork().length).toBeGreaterThan(0);
    expect(fs.existsSync(publishedDir(id))).toBe(false);
    for (const parts of [['master.m3u8'], ['v0', 'index.m3u8'], ['v0', 'seg_000.ts'], ['v0', 'key']]) {
      const res = await hlsRoute.GET(new Request(`http://localhost:3000/api/videos/${id}/hls/${parts.join('/')}`, { headers: cookie }), {
        params: Promise.resolve({ id, path: parts }),
      });
      expect(res.status).toBe(403);
    }

    // Restart: pg-boss expires the dead attempt, retries it, and the new attempt publishes.
    startWorker();
    const ready = await waitFor(
      'ready',
      async () => {
        const v = await db.video.findUniqueOrThrow({ where: { id } });
        return v.status === 'ready' ? v : null;
      },
      150_000,
    );
    expect(ready.attempts).toBeGreaterThanOrEqual(2);
    expect(ready.failureReason).toBeNull();
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
      30_000,
    );
    expect(boss).toBeTruthy();
    expect(jobs).toHaveLength(1);
    expect(jobs[0]!.state).toBe('completed');
    expect(jobs[0]!.retry_count).toBeGreaterThanOrEqual(1);
    expect(segmentsInWork()).toEqual([]);
    const master = await hlsRoute.GET(new Request(`http://localhost:3000/api/videos/${id}/hls/master.m3u8`, { headers: cookie }), {
      params: Promise.resolve({ id, path: ['master.m3u8'] }),
    });
    expect(master.status).toBe(200);
    expect((await master.text()).match(/#EXT-X-STREAM-INF/g)).toHaveLength(4);
  });
});
