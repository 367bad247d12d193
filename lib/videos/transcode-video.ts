// One transcode attempt of a video, the job's domain function: status and liveness beats around
// buildHls (build-hls.ts), then a publish that swaps the tree and the keys in at once. The worker
// calls it with its shutdown signal; tests call it directly.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { db } from '../db';
import { env } from '../env';
import { encryptBytes } from '../crypto/encryption';
import { recordAudit } from '../audit/record';
import { systemActor } from '../auth/actor';
import { logger } from '../logger';
import { assertSafeId, publishedDir, sourcePath, workRoot } from './paths';
import { STALL_S, TRANSCODE_BEAT_MS } from './liveness';
import { buildHls, countSegments, publishAtomically } from './build-hls';
import { keyAad, liveKeyAad } from './keys';
import { publicFailureReason } from './media-errors';

const OWNER_FILE = 'owner.json';
/** Present in a work folder whose growing stream is (or was last) served to viewers. */
const SERVING_FILE = 'serving';

/** Whether the attempt that made work folder `dir` is gone: untouched for `olderThanMs`, or its process on this host has exited. */
function isDeadAttempt(dir: string, olderThanMs: number): boolean {
  if (Date.now() - fs.statSync(dir).mtimeMs >= olderThanMs) return true;
  // A killed attempt's stream stays watchable until a resumed job replaces it or the video is
  // published (both remove the folder): a restarting worker must not take it down.
  if (fs.existsSync(path.join(dir, SERVING_FILE))) return false;
  try {
    const owner = JSON.parse(fs.readFileSync(path.join(dir, OWNER_FILE), 'utf8')) as { host?: string; pid?: number };
    if (owner.host !== os.hostname() || !owner.pid) return false;
    process.kill(owner.pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/**
 * Removes work folders left behind by crashed attempts (of one video, or of all). A running attempt
 * touches its folder with every liveness beat, so a folder untouched for `olderThanMs`, or one whose
 * process on this host has exited, is a dead attempt's; a live overlapping attempt (a retry started
 * while a stalled-looking one still runs) keeps its work.
 */
export function removeStaleWork(videoId: string | undefined, olderThanMs: number, keep: ReadonlySet<string> = new Set()): number {
  const root = workRoot();
  if (!fs.existsSync(root)) return 0;
  let n = 0;
  for (const name of fs.readdirSync(root)) {
    if (videoId && !name.startsWith(`${videoId}-`)) continue;
    if (keep.has(name)) continue;
    if (!isDeadAttempt(path.join(root, name), olderThanMs)) continue;
    fs.rmSync(path.join(root, name), { recursive: true, force: true });
    n++;
  }
  return n;
}

/** Attempts whose in-progress stream is still served (their keys are stored): their folders stay. */
async function findLiveAttempts(videoId: string): Promise<Set<string>> {
  const rows = await db.videoLiveKey.findMany({ where: { videoId }, distinct: ['attempt'], select: { attempt: true } });
  return new Set(rows.map((r) => r.attempt));
}

/** Drops every in-progress stream of a video: its keys, its pointer and its attempts' folders. */
async function dropLiveStreams(videoId: string, attempts: Iterable<string>): Promise<void> {
  await db.videoLiveKey.deleteMany({ where: { videoId } });
  for (const a of attempts) fs.rmSync(path.join(workRoot(), assertSafeId(a)), { recursive: true, force: true });
}

export async function transcodeVideo(videoId: string, opts: { signal?: AbortSignal; preset?: string } = {}): Promise<'ready' | 'skipped'> {
  const video = await db.video.findUnique({ where: { id: videoId } });
  if (!video || video.status === 'ready') return 'skipped';
  // A killed attempt's stream may still be watched: its folder and keys stay until this attempt
  // has caught up with it (then the pointer moves) and are removed when the video is published.
  const previous = await findLiveAttempts(videoId);
  removeStaleWork(videoId, STALL_S * 1000, previous);
  await db.video.update({
    where: { id: videoId },
    data: { status: 'processing', progress: 0, failureReason: null, attempts: { increment: 1 } },
  });
  const attempt = `${videoId}-${randomBytes(4).toString('hex')}`;
  const workDir = path.join(workRoot(), attempt);
  fs.mkdirSync(workDir, { recursive: true, mode: 0o700 });
  fs.writeFileSync(path.join(workDir, OWNER_FILE), JSON.stringify({ host: os.hostname(), pid: process.pid }));
  let lastPct = 0;
  let lastWrite = 0;
  let writing: Promise<unknown> = Promise.resolve();
  const queue = (fn: () => Promise<unknown>) => (writing = writing.then(fn).catch(() => {}));
  // Liveness: touch the row every 30 s even when the percentage does not move (a long 4K source can
  // spend minutes per percent), so failStalledTranscodes can tell a dead worker from a slow encode.
  const alive = setInterval(() => {
    const now = new Date();
    fs.promises.utimes(workDir, now, now).catch(() => {});
    queue(() => db.video.updateMany({ where: { id: videoId, status: 'processing' }, data: { updatedAt: now } }));
  }, TRANSCODE_BEAT_MS);
  alive.unref();
  const onProgress = (pct: number) => {
    const now = Date.now();
    if (pct >= 100 || pct <= lastPct || now - lastWrite < 1000) return;
    lastPct = pct;
    lastWrite = now;
    queue(() => db.video.updateMany({ where: { id: videoId, status: 'processing' }, data: { progress: pct } }));
  };
  // The stream becomes watchable when every rung has a first segment. An earlier attempt's stream
  // that is still served (its worker died) is replaced only once this one has at least as many
  // segments in every rung, so a viewer following it never sees the playlist shrink.
  let mustReach = 1;
  for (const a of previous) mustReach = Math.max(mustReach, minSegmentCount(a));
  let isLive = false;
  const onSegments = (counts: number[]) => {
    if (isLive || Math.min(...counts) < mustReach) return;
    isLive = true;
    fs.writeFileSync(path.join(workDir, SERVING_FILE), '');
    queue(() =>
      db.video.updateMany({ where: { id: videoId, status: 'processing' }, data: { liveAttempt: attempt, liveAt: new Date() } }),
    );
  };
  let ok = false;
  let publishedHere = false;
  try {
    const built = await buildHls({
      sourcePath: sourcePath(videoId),
      workDir,
      signal: opts.signal,
      onProgress,
      onSegments,
      onStart: async (renditions) => {
        await db.videoLiveKey.createMany({
          data: renditions.map((r) => ({
            videoId,
            attempt,
            name: r.rung.name,
            width: r.rung.width,
            height: r.rung.height,
            bandwidth: r.bandwidth,
            codecs: r.codecs,
            keyEnc: encryptBytes(r.key, undefined, liveKeyAad(videoId, attempt, r.rung.name)),
            ivHex: r.iv.toString('hex'),
          })),
        });
      },
      preset: opts.preset ?? env.TRANSCODE_PRESET,
    });
    await writing;
    // Two attempts may overlap (a retry of a stalled-looking one): they publish one at a time, and
    // the later one finds the video ready and discards its own output, so the published tree and the
    // keys in the database always come from the same attempt.
    const published = await db.$transaction(
      async (tx) => {
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`video-publish:${videoId}`}))`;
        const current = await tx.video.findUnique({ where: { id: videoId }, select: { status: true } });
        if (!current || current.status === 'ready') return false;
        await tx.videoRendition.deleteMany({ where: { videoId } });
        await tx.videoRendition.createMany({
          data: built.renditions.map((r) => ({
            videoId,
            name: r.rung.name,
            width: r.rung.width,
            height: r.rung.height,
            bandwidth: r.bandwidth,
            averageBandwidth: r.averageBandwidth,
            codecs: r.codecs,
            keyEnc: encryptBytes(r.key, undefined, keyAad(videoId, r.rung.name)),
            ivHex: r.iv.toString('hex'),
          })),
        });
        publishAtomically(built.outDir, publishedDir(videoId));
        await tx.video.update({
          where: { id: videoId },
          data: {
            status: 'ready',
            progress: 100,
            failureReason: null,
            durationS: built.probe.durationS,
            width: built.probe.width,
            height: built.probe.height,
            hasAudio: built.probe.hasAudio,
            publishedAt: new Date(),
            liveAttempt: null,
            liveAt: null,
          },
        });
        await recordAudit(
          {
            actor: systemActor('video-transcode'),
            action: 'video.transcoded',
            target: { type: 'video', id: videoId },
            detail: { renditions: built.renditions.map((r) => r.rung.height) },
          },
          tx,
        );
        return true;
      },
      { maxWait: 10_000, timeout: 60_000 },
    );
    ok = true;
    publishedHere = published;
    // Published: a viewer of the growing stream now reads the same segments from the final tree.
    if (published) await dropLiveStreams(videoId, [...previous, attempt]);
    return published ? 'ready' : 'skipped';
  } catch (err) {
    await writing;
    const detail = (err as { reason?: string; detail?: string }).reason ?? (err as { detail?: string }).detail;
    logger.warn('transcode failed', { videoId, error: err instanceof Error ? err.message : String(err), detail });
    const reason = opts.signal?.aborted
      ? 'The transcode was stopped before it finished.'
      : publicFailureReason(err);
    // An overlapping attempt may have published meanwhile: a ready video stays ready.
    await db.video
      .updateMany({ where: { id: videoId, status: { not: 'ready' } }, data: { status: 'failed', progress: 0, failureReason: reason } })
      .catch(() => {});
    throw err;
  } finally {
    clearInterval(alive);
    // A worker stopping mid-job (the signal) leaves its stream to be served and resumed by the
    // retry, unless the video was published meanwhile; a failed encode takes its own stream down
    // (the video is failed: nothing to watch), and so does an attempt that lost the race to publish.
    const keep =
      !ok && opts.signal?.aborted && (await db.video.findUnique({ where: { id: videoId }, select: { status: true } }).catch(() => null))?.status !== 'ready';
    if (!keep) {
      fs.rmSync(workDir, { recursive: true, force: true });
      if (!publishedHere) {
        await db.videoLiveKey.deleteMany({ where: { videoId, attempt } }).catch(() => {});
        await db.video.updateMany({ where: { id: videoId, liveAttempt: attempt }, data: { liveAttempt: null, liveAt: null } }).catch(() => {});
      }
    }
  }
}

/** The fewest finished segments among an attempt's rungs (0 when its folder is gone). */
function minSegmentCount(attempt: string): number {
  const out = path.join(workRoot(), assertSafeId(attempt), 'out');
  if (!fs.existsSync(out)) return 0;
  const rungs = fs.readdirSync(out).filter((n) => /^v\d{1,2}$/.test(n));
  if (rungs.length === 0) return 0;
  return Math.min(...rungs.map((r) => countSegments(path.join(out, r, 'index.m3u8'))));
}
