// Building the HLS tree of a source in a private work folder: probe → one FFmpeg process for the
// whole ladder (+ poster and storyboard) → master playlist; publishAtomically swaps it into place.
// Keys are random per rendition, live only in the work folder during the run, and are returned to
// the caller to be stored encrypted.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import ffmpeg from 'fluent-ffmpeg';
import {
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

export interface BuildOptions {
  sourcePath: string;
  /** Private scratch folder for this attempt (created; the caller removes it on failure). */
  workDir: string;
  signal?: AbortSignal;
  onProgress?: (pct: number) => void;
  segmentSeconds?: number;
  preset?: string;
  /** Already-probed source (skips a second ffprobe). */
  probed?: ProbeResult;
}

/** Builds the complete HLS tree in `${workDir}/out`; keys stay in `${workDir}/keys` and are deleted. */
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
    poster: { path: path.join(outDir, 'poster.jpg'), atS: Math.min(info.durationS * 0.1, 5), width: posterW, height: posterH },
    storyboard: { path: path.join(outDir, 'storyboard.jpg'), plan: sb },
  });
  try {
    await runLadder(cmd, { durationS: info.durationS, signal: o.signal, onProgress: o.onProgress });
  } finally {
    fs.rmSync(keyDir, { recursive: true, force: true });
  }
  fs.writeFileSync(path.join(outDir, 'storyboard.vtt'), storyboardVtt(sb, info.durationS, 'storyboard.jpg'));

  const renditions: RenditionResult[] = rungs.map((rung, i) => {
    const dir = path.join(outDir, rung.name);
    const playlist = fs.readFileSync(path.join(dir, 'index.m3u8'), 'utf8');
    const segs = parseSegments(playlist).map((s) => ({ duration: s.duration, bytes: fs.statSync(path.join(dir, s.uri)).size }));
    if (segs.length === 0) throw new TranscodeError('FFmpeg produced no segments.', `rendition ${rung.name} is empty`);
    const bw = measureBandwidth(segs);
    return { rung, bandwidth: bw.peak, averageBandwidth: bw.average, codecs: rungCodecs(rung, info.hasAudio), ...secrets[i]! };
  });
  const master = masterPlaylist(
    renditions.map((r) => ({ rung: r.rung, bandwidth: r.bandwidth, averageBandwidth: r.averageBandwidth })),
    info.hasAudio,
  );
  fs.writeFileSync(path.join(outDir, 'master.m3u8'), master);
  return { outDir, probe: info, renditions };
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
