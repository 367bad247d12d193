// Building the HLS tree of a source in a private work folder: probe → one FFmpeg process for the
// whole ladder (+ poster and storyboard) writing growing playlists → the final tree of hard links,
// VOD playlists and a measured master playlist; publishAtomically swaps it into place.
// Keys are random per rendition, live only in the work folder during the run, and are returned to
// the caller to be stored encrypted.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import ffmpeg from 'fluent-ffmpeg';
import {
  AUDIO_KBPS,
  buildLadderCommand,
  keyInfo,
  masterPlaylist,
  measureBandwidth,
  parseSegments,
  planLadder,
  planStoryboard,
  rungCodecs,
  storyboardVtt,
  type LadderCommand,
  type Rung,
} from './ladder';
import { ffmpegPath, ffprobePath } from './paths';
import { probe, type ProbeResult } from './probe';

export interface RenditionResult {
  rung: Rung;
  bandwidth: number;
  averageBandwidth: number;
  codecs: string;
  key: Buffer;
  iv: Buffer;
}

export interface BuildResult {
  /** Folder with the finished tree (master.m3u8, one folder per rung, poster.jpg, storyboard.*), not yet published. */
  outDir: string;
  /** The staging area FFmpeg wrote (growing EVENT playlists), served while the job ran. */
  stagingDir: string;
  probe: ProbeResult;
  renditions: RenditionResult[];
}

export class TranscodeError extends Error {
  constructor(message: string, readonly reason: string) {
    super(message);
    this.name = 'TranscodeError';
  }
}

/** URI written into each variant playlist for its key (relative to the variant playlist). */
export const KEY_URI = 'key';

function parseTimemark(t: string | undefined): number {
  if (!t) return 0;
  const m = /^(-?\d+):(\d+):(\d+(?:\.\d+)?)$/.exec(t);
  if (!m) return 0;
  return Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]);
}

/** Runs a planned ladder through fluent-ffmpeg; resolves when FFmpeg exits 0. */
export function runLadder(
  cmd: LadderCommand,
  opts: { durationS: number; signal?: AbortSignal; onProgress?: (pct: number) => void },
): Promise<void> {
  return new Promise((resolve, reject) => {
    if (opts.signal?.aborted) return reject(new TranscodeError('Transcode was cancelled.', 'aborted'));
    const stderrTail: string[] = [];
    const c = ffmpeg({ stdoutLines: 0 })
      .setFfmpegPath(ffmpegPath())
      .setFfprobePath(ffprobePath())
      .input(cmd.input)
      .inputOptions([...cmd.globalOptions.filter((o) => o !== '-y'), ...cmd.inputOptions])
      .complexFilter(cmd.filterComplex);
    for (const o of cmd.outputs) c.output(o.target).outputOptions(o.options);
    let last = -1;
    c.on('stderr', (line: string) => {
      stderrTail.push(line);
      if (stderrTail.length > 30) stderrTail.shift();
    });
    c.on('progress', (p: { timemark?: string }) => {
      const pct = Math.max(0, Math.min(99, Math.floor((parseTimemark(p.timemark) / Math.max(0.001, opts.durationS)) * 100)));
      if (pct !== last) {
        last = pct;
        opts.onProgress?.(pct);
      }
    });
    const onAbort = () => c.kill('SIGKILL');
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    c.on('error', (err: Error) => {
      opts.signal?.removeEventListener('abort', onAbort);
      if (opts.signal?.aborted) return reject(new TranscodeError('Transcode was cancelled.', 'aborted'));
      const reason = stderrTail.filter((l) => /error|invalid|failed|no such|unable/i.test(l)).slice(-3).join(' | ') || err.message;
      reject(new TranscodeError('FFmpeg failed.', reason.slice(0, 2000)));
    });
    c.on('end', () => {
      opts.signal?.removeEventListener('abort', onAbort);
      opts.onProgress?.(100);
      resolve();
    });
    c.run();
  });
}

export interface LiveRendition {
  rung: Rung;
  /** Nominal peak bandwidth (bit/s) until the segments can be measured. */
  bandwidth: number;
  codecs: string;
  key: Buffer;
  iv: Buffer;
}

export interface BuildOptions {
  sourcePath: string;
  /** Private scratch folder for this attempt (created; the caller removes it on failure). */
  workDir: string;
  signal?: AbortSignal;
  onProgress?: (pct: number) => void;
  /**
   * Called with the rungs and their keys once they are chosen, before FFmpeg starts: the caller
   * stores the keys so the growing stream in `${workDir}/out` can be served while it is made.
   */
  onStart?: (renditions: LiveRendition[], probe: ProbeResult) => Promise<void>;
  /** Called about every half second while FFmpeg runs, with each rung's count of finished segments. */
  onSegments?: (counts: number[]) => void;
  segmentSeconds?: number;
  preset?: string;
  /** Already-probed source (skips a second ffprobe). */
  probed?: ProbeResult;
}

/** Finished segments listed in a growing playlist (0 while FFmpeg has not written it yet). */
export function countSegments(playlistFile: string): number {
  try {
    return parseSegments(fs.readFileSync(playlistFile, 'utf8')).length;
  } catch {
    return 0;
  }
}

/** The final form of a growing EVENT playlist: the same segments, marked VOD and ended. */
export function finalizePlaylist(event: string): string {
  let text = event.replace(/^#EXT-X-PLAYLIST-TYPE:EVENT$/m, '#EXT-X-PLAYLIST-TYPE:VOD');
  if (!/^#EXT-X-ENDLIST\s*$/m.test(text)) text = text.replace(/\n*$/, '\n#EXT-X-ENDLIST\n');
  return text;
}

/**
 * Builds the HLS tree of a source. FFmpeg writes growing EVENT playlists into `${workDir}/out` (the
 * staging area, servable while it grows); the finished tree is assembled in `${workDir}/final` from
 * hard links to the same segments, VOD playlists and a measured master playlist, ready to be
 * published in one rename. Keys stay in `${workDir}/keys` only while FFmpeg runs.
 */
export async function buildHls(o: BuildOptions): Promise<BuildResult> {
  const info = o.probed ?? (await probe(o.sourcePath));
  const rungs = planLadder(info);
  const outDir = path.join(o.workDir, 'out');
  const keyDir = path.join(o.workDir, 'keys');
  fs.mkdirSync(keyDir, { recursive: true, mode: 0o700 });
  for (const r of rungs) fs.mkdirSync(path.join(outDir, r.name), { recursive: true });

  const secrets = rungs.map(() => ({ key: randomBytes(16), iv: randomBytes(16) }));
  const keyInfoFiles = rungs.map((r, i) => {
    const keyFile = path.join(keyDir, `${r.name}.key`);
    fs.writeFileSync(keyFile, secrets[i]!.key, { mode: 0o600 });
    const infoFile = path.join(keyDir, `${r.name}.keyinfo`);
    fs.writeFileSync(infoFile, keyInfo(KEY_URI, keyFile, secrets[i]!.iv.toString('hex')), { mode: 0o600 });
    return infoFile;
  });
  // The in-progress master playlist announces the nominal bitrates (video max rate + audio); the
  // final one replaces them with measured figures.
  const live: LiveRendition[] = rungs.map((rung, i) => ({
    rung,
    bandwidth: (rung.maxKbps + (info.hasAudio ? AUDIO_KBPS : 0)) * 1000,
    codecs: rungCodecs(rung, info.hasAudio),
    ...secrets[i]!,
  }));
  fs.writeFileSync(
    path.join(outDir, 'master.m3u8'),
    masterPlaylist(live.map((l) => ({ rung: l.rung, bandwidth: l.bandwidth, averageBandwidth: l.rung.videoKbps * 1000 })), info.hasAudio),
  );
  await o.onStart?.(live, info);

  const sb = planStoryboard(info.durationS, info);
  const posterW = Math.min(1280, info.width - (info.width % 2));
  const posterH = Math.max(2, Math.round((posterW * info.height) / info.width / 2) * 2);
  const cmd = buildLadderCommand({
    input: o.sourcePath,
    outDir,
    rungs,
    hasAudio: info.hasAudio,
    keyInfoFiles,
    fps: info.fps,
    segmentSeconds: o.segmentSeconds,
    preset: o.preset,
    playlistType: 'event',
    poster: { path: path.join(outDir, 'poster.jpg'), atS: Math.min(info.durationS * 0.1, 5), width: posterW, height: posterH },
    storyboard: { path: path.join(outDir, 'storyboard.jpg'), plan: sb },
  });
  const watch = o.onSegments
    ? setInterval(() => o.onSegments!(rungs.map((r) => countSegments(path.join(outDir, r.name, 'index.m3u8')))), 500)
    : null;
  try {
    await runLadder(cmd, { durationS: info.durationS, signal: o.signal, onProgress: o.onProgress });
  } finally {
    if (watch) clearInterval(watch);
    fs.rmSync(keyDir, { recursive: true, force: true });
  }

  const finalDir = path.join(o.workDir, 'final');
  fs.rmSync(finalDir, { recursive: true, force: true });
  const renditions: RenditionResult[] = rungs.map((rung, i) => {
    const dir = path.join(outDir, rung.name);
    const playlist = fs.readFileSync(path.join(dir, 'index.m3u8'), 'utf8');
    const segments = parseSegments(playlist);
    if (segments.length === 0) throw new TranscodeError('FFmpeg produced no segments.', `rendition ${rung.name} is empty`);
    const bw = measureBandwidth(segments.map((s) => ({ duration: s.duration, bytes: fs.statSync(path.join(dir, s.uri)).size })));
    // Hard links: the final tree shares the staging area's segments (same filesystem), so a 10-minute
    // ladder is published without copying it, and a viewer of the growing stream reads the same bytes.
    fs.mkdirSync(path.join(finalDir, rung.name), { recursive: true });
    for (const s of segments) fs.linkSync(path.join(dir, s.uri), path.join(finalDir, rung.name, s.uri));
    fs.writeFileSync(path.join(finalDir, rung.name, 'index.m3u8'), finalizePlaylist(playlist));
    return { rung, bandwidth: bw.peak, averageBandwidth: bw.average, codecs: rungCodecs(rung, info.hasAudio), ...secrets[i]! };
  });
  for (const f of ['poster.jpg', 'storyboard.jpg']) {
    if (fs.existsSync(path.join(outDir, f))) fs.linkSync(path.join(outDir, f), path.join(finalDir, f));
  }
  fs.writeFileSync(path.join(finalDir, 'storyboard.vtt'), storyboardVtt(sb, info.durationS, 'storyboard.jpg'));
  const master = masterPlaylist(
    renditions.map((r) => ({ rung: r.rung, bandwidth: r.bandwidth, averageBandwidth: r.averageBandwidth })),
    info.hasAudio,
  );
  fs.writeFileSync(path.join(finalDir, 'master.m3u8'), master);
  return { outDir: finalDir, stagingDir: outDir, probe: info, renditions };
}

/**
 * Atomically replaces `target` with `built` (both on the same filesystem): the new tree is renamed
 * into place in one step, so readers see the old tree or the new one, never a mix.
 */
export function publishAtomically(built: string, target: string): void {
  fs.mkdirSync(path.dirname(target), { recursive: true });
  if (fs.existsSync(target)) {
    const old = `${built}.old`;
    fs.renameSync(target, old);
    fs.renameSync(built, target);
    fs.rmSync(old, { recursive: true, force: true });
  } else {
    fs.renameSync(built, target);
  }
}
