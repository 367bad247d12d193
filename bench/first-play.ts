// npm run bench:first-play [-- --seconds 600 --height 1080]
// Time to first play: how long after an upload completes a viewer can start watching it, with the
// ladder still transcoding (GET /api/videos/{id} gives a playbackUrl once every rung has a first
// segment), printed beside the time of the full ladder. Counted from the moment the last byte is on
// disk: hashing, content checks + ffprobe, queueing, the real worker's pickup (`workers/index.ts`,
// a separate process as in production), its ffprobe, and FFmpeg's first segment of every rung.
// Goal: a 10-minute 1080p upload is playable ≤ 15 s after its upload completes, on 2 cores.
// Needs DATABASE_URL (a PostgreSQL where it may create and drop a scratch database).
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createScratchDatabase } from './lib/scratch';

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const SECONDS = arg('seconds', 600);
const HEIGHT = arg('height', 1080);
const WIDTH = Math.round((HEIGHT * 16) / 9 / 2) * 2;
const GOAL_S = 15;

const scratch = await createScratchDatabase('marquee_bench');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'marquee-bench-first-play-'));
Object.assign(process.env, {
  DATA_DIR: dataDir,
  ENCRYPTION_KEY: process.env.ENCRYPTION_KEY ?? randomBytes(32).toString('base64'),
  AUTH_SECRET: process.env.AUTH_SECRET ?? randomBytes(32).toString('hex'),
  LOG_LEVEL: 'info',
});

let worker: ReturnType<typeof spawn> | null = null;
const cleanup = async () => {
  if (worker && worker.exitCode === null) worker.kill('SIGKILL');
  const { db } = await import('../lib/db');
  await db.$disconnect().catch(() => {});
  await scratch.drop();
  fs.rmSync(dataDir, { recursive: true, force: true });
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const since = (t: number) => (performance.now() - t) / 1000;

try {
  // The source is kept between runs (generating 10 minutes of 1080p takes minutes of its own).
  const src = path.join(os.tmpdir(), `marquee-bench-src-${SECONDS}s-${HEIGHT}p.mp4`);
  if (!fs.existsSync(src)) {
    console.log(`generating a ${SECONDS} s ${WIDTH}x${HEIGHT} 30 fps H.264/AAC source …`);
    execFileSync('ffmpeg', [
      '-v', 'error', '-y', '-f', 'lavfi', '-i', `testsrc2=size=${WIDTH}x${HEIGHT}:rate=30:duration=${SECONDS}`,
      '-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=48000:duration=${SECONDS}`,
      '-c:v', 'libx264', '-preset', 'ultrafast', '-crf', '23', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest', `${src}.tmp.mp4`,
    ]);
    fs.renameSync(`${src}.tmp.mp4`, src);
  }

  const { deployMigrations } = await import('../lib/database/migrate');
  await deployMigrations(scratch.url);
  const { db } = await import('../lib/db');
  const { hashFile } = await import('../lib/videos/storage');
  const { ingestUpload } = await import('../lib/videos/ingest');
  const { getVideo } = await import('../lib/videos/library');
  const { serveHls } = await import('../lib/videos/serve');
  const { sealPlaybackToken } = await import('../lib/videos/tokens');
  const { uploadsRoot } = await import('../lib/videos/paths');

  const user = await db.user.create({ data: { email: 'bench@first-play.test', name: 'Bench', passwordHash: 'x', role: 'uploader' } });
  const actor = {
    kind: 'user' as const, id: user.id, email: user.email, name: user.name, role: 'uploader' as const,
    serverIds: [], mediaUsers: [], timezone: 'UTC', mustChangePassword: false, via: 'session' as const,
  };

  // The production worker, idle and polling before the upload completes.
  worker = spawn(process.execPath, ['--import', 'tsx', 'workers/index.ts'], { env: process.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let workerLog = '';
  worker.stdout!.on('data', (d) => (workerLog = (workerLog + d).slice(-20_000)));
  worker.stderr!.on('data', (d) => (workerLog = (workerLog + d).slice(-20_000)));
  for (let i = 0; !workerLog.includes('worker started'); i++) {
    if (i > 600 || worker.exitCode !== null) throw new Error(`the worker did not start:\n${workerLog}`);
    await sleep(100);
  }
  await sleep(2000); // past its start-up work: an idle worker waiting for jobs

  // The upload's bytes are on disk (as after the last chunk of a resumable upload).
  fs.mkdirSync(uploadsRoot(), { recursive: true });
  const part = path.join(uploadsRoot(), 'bench.part');
  fs.copyFileSync(src, part);
  const sizeMb = fs.statSync(part).size / 1e6;

  const t0 = performance.now();
  const stored = await hashFile(part);
  const tHashed = since(t0);
  const { id } = await ingestUpload(actor, stored, { title: 'First play bench', description: '', tags: [], people: [] });
  const tQueued = since(t0);

  let tPlayable = 0;
  let tProcessing = 0;
  for (;;) {
    const v = await getVideo(actor, id);
    if (!tProcessing && v.status === 'processing') tProcessing = since(t0);
    if (v.playbackUrl) {
      if (v.status === 'ready') throw new Error('the video was ready before its growing stream was served');
      tPlayable = since(t0);
      break;
    }
    if (v.status === 'failed') throw new Error(`transcode failed: ${v.failureReason}`);
    await sleep(100);
  }
  // Really playable: the master playlist, a rung's growing playlist and its first segment are served.
  const token = await sealPlaybackToken(id, user.id);
  const fetchHls = async (parts: string[], query = '') => {
    const res = await serveHls(new Request(`http://bench/api/videos/${id}/hls/${parts.join('/')}?t=${encodeURIComponent(token)}${query}`), id, parts);
    if (res.status !== 200) throw new Error(`${parts.join('/')} → ${res.status}`);
    return res;
  };
  await fetchHls(['master.m3u8']);
  const variant = await (await fetchHls(['v0', 'index.m3u8'])).text();
  const firstSeg = variant.split('\n').find((l) => l.startsWith('seg_'))!;
  const [segName, segQuery] = firstSeg.split('?') as [string, string];
  const segBytes = (await (await fetchHls(['v0', segName], `&${segQuery.replace(/&?t=[^&]*/, '')}`)).arrayBuffer()).byteLength;
  const progressAtPlay = (await db.video.findUniqueOrThrow({ where: { id } })).progress;

  let tReady = 0;
  for (;;) {
    const v = await db.video.findUniqueOrThrow({ where: { id }, select: { status: true, failureReason: true } });
    if (v.status === 'ready') {
      tReady = since(t0);
      break;
    }
    if (v.status === 'failed') throw new Error(`transcode failed: ${v.failureReason}`);
    await sleep(500);
  }
  const rungs = await db.videoRendition.findMany({ where: { videoId: id }, orderBy: { height: 'desc' }, select: { height: true } });

  const f = (s: number) => `${s.toFixed(1)} s`;
  console.log(`\nsource: ${SECONDS} s ${WIDTH}x${HEIGHT} 30 fps H.264/AAC, ${sizeMb.toFixed(0)} MB; ladder ${rungs.map((r) => `${r.height}p`).join('/')}; ${os.cpus().length} cores, load ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  console.log('| from upload complete to … | time |');
  console.log('| --- | --- |');
  console.log(`| hashed (SHA-256) | ${f(tHashed)} |`);
  console.log(`| checked (magic bytes + ffprobe) and queued | ${f(tQueued)} |`);
  console.log(`| picked up by the worker (status processing) | ${f(tProcessing)} |`);
  console.log(`| **playable** (playbackUrl; first segment of every rung served: ${segBytes} B, job at ${progressAtPlay} %) | **${f(tPlayable)}** (goal ≤ ${GOAL_S} s: ${tPlayable <= GOAL_S ? 'met' : 'NOT met'}) |`);
  console.log(`| full ladder published (ready, VOD) | ${f(tReady)} (${(SECONDS / tReady).toFixed(2)}× real time) |`);
  await cleanup();
  process.exit(tPlayable <= GOAL_S ? 0 : 1);
} catch (err) {
  console.error(err);
  await cleanup();
  process.exit(2);
}
