// HLS ladder planning and the FFmpeg command for it. Pure functions: the runner (fluent-ffmpeg),
// the benchmark (direct spawn) and the tests all use the same plan.
import path from 'node:path';

export interface Rung {
  name: string; // v0, v1, … (also the folder name)
  height: number;
  width: number;
  videoKbps: number;
  maxKbps: number;
  bufKbps: number;
  /** H.264 level as written to the encoder (e.g. '4.0'). */
  level: string;
}

/** Standard rungs: height → video bitrate (kbit/s) and H.264 level. */
export const LADDER = [
  { height: 2160, videoKbps: 14000, level: '5.1' },
  { height: 1440, videoKbps: 8000, level: '5.0' },
  { height: 1080, videoKbps: 5000, level: '4.0' },
  { height: 720, videoKbps: 2800, level: '3.1' },
  { height: 480, videoKbps: 1400, level: '3.0' },
  { height: 360, videoKbps: 800, level: '3.0' },
] as const;

export const AUDIO_KBPS = 128;
export const DEFAULT_SEGMENT_S = 4;

const even = (n: number) => Math.max(2, Math.round(n / 2) * 2);

/**
 * The rungs at or below the source height (keeping the aspect ratio, even dimensions). A source
 * smaller than 360p gets a single rung at its own size.
 */
export function planLadder(source: { width: number; height: number }): Rung[] {
  const aspect = source.width / source.height;
  const steps = LADDER.filter((r) => r.height <= source.height);
  const chosen = steps.length ? steps : [{ height: Math.max(2, Math.floor(source.height / 2) * 2), videoKbps: 600, level: '3.0' as const }];
  return chosen.map((r, i) => ({
    name: `v${i}`,
    height: r.height,
    width: even(r.height * aspect),
    videoKbps: r.videoKbps,
    maxKbps: Math.round(r.videoKbps * 1.07),
    bufKbps: Math.round(r.videoKbps * 1.5),
    level: r.level,
  }));
}

/** RFC 6381 codec string for H.264 Main at a level, e.g. avc1.4d4028 for 4.0. */
export function avcCodec(level: string): string {
  const n = Math.round(Number(level) * 10);
  return `avc1.4d40${n.toString(16).padStart(2, '0')}`;
}

export function rungCodecs(rung: Rung, hasAudio: boolean): string {
  return hasAudio ? `${avcCodec(rung.level)},mp4a.40.2` : avcCodec(rung.level);
}

export interface LadderInput {
  input: string;
  /** Output folder; each rung writes `<outDir>/<rung.name>/index.m3u8` + `seg_NNN.ts`. */
  outDir: string;
  rungs: Rung[];
  hasAudio: boolean;
  /** Key info file per rung (same order as rungs). */
  keyInfoFiles: string[];
  segmentSeconds?: number;
  /** Source frame rate, used for the GOP length; 0/undefined → keyframes forced by time only. */
  fps?: number;
  preset?: string;
  /**
   * `event` (the worker's choice): FFmpeg rewrites each rung's playlist as every segment completes,
   * never removing one, so the stream can be watched while it is made; `vod` writes them at the end.
   */
  playlistType?: 'vod' | 'event';
  /** Extra outputs of the same process: a poster JPEG and a storyboard sprite. */
  poster?: { path: string; atS: number; width: number; height: number };
  storyboard?: { path: string; plan: StoryboardPlan };
}

export interface LadderOutput {
  target: string;
  options: string[];
}

export interface LadderCommand {
  inputOptions: string[];
  input: string;
  filterComplex: string;
  outputs: LadderOutput[];
  /** Options placed before the input (progress reporting etc.). */
  globalOptions: string[];
}

/**
 * One FFmpeg process for the whole ladder: split + scale in one filter graph, one `-f hls` output
 * per rung (so each rendition has its own AES-128 key info file), keyframes forced on the same
 * timestamps in every rung so segments align.
 */
export function buildLadderCommand(p: LadderInput): LadderCommand {
  if (p.rungs.length === 0) throw new Error('empty ladder');
  if (p.keyInfoFiles.length !== p.rungs.length) throw new Error('one key info file per rung is required');
  const seg = p.segmentSeconds ?? DEFAULT_SEGMENT_S;
  const n = p.rungs.length + (p.poster ? 1 : 0) + (p.storyboard ? 1 : 0);
  const splitOuts = Array.from({ length: n }, (_, i) => `[s${i}]`).join('');
  const graph = [`[0:v:0]split=${n}${splitOuts}`];
  graph.push(...p.rungs.map((r, i) => `[s${i}]scale=${r.width}:${r.height}:flags=bicubic,setsar=1[o${i}]`));
  let next = p.rungs.length;
  const extra: LadderOutput[] = [];
  if (p.poster) {
    const { atS, width, height } = p.poster;
    graph.push(`[s${next}]trim=start=${atS.toFixed(3)},setpts=PTS-STARTPTS,scale=${width}:${height},setsar=1[poster]`);
    extra.push({ target: p.poster.path, options: ['-map', '[poster]', '-frames:v', '1', '-q:v', '3', '-f', 'image2', '-update', '1'] });
    next++;
  }
  if (p.storyboard) {
    const sb = p.storyboard.plan;
    graph.push(`[s${next}]fps=1/${sb.interval},scale=${sb.tileW}:${sb.tileH},setsar=1,tile=${sb.cols}x${sb.rows}[sprite]`);
    extra.push({ target: p.storyboard.path, options: ['-map', '[sprite]', '-frames:v', '1', '-q:v', '4', '-f', 'image2', '-update', '1'] });
  }
  const filterComplex = graph.join(';');
  const gop = p.fps && p.fps > 0 ? Math.max(1, Math.round(p.fps * seg)) : 0;

  const outputs = p.rungs.map((r, i): LadderOutput => {
    const dir = path.join(p.outDir, r.name);
    const options = [
      '-map', `[o${i}]`,
      ...(p.hasAudio ? ['-map', '0:a:0'] : []),
      '-c:v', 'libx264',
      '-preset', p.preset ?? 'veryfast',
      '-profile:v', 'main',
      '-level:v', r.level,
      '-pix_fmt', 'yuv420p',
      '-force_key_frames', `expr:gte(t,n_forced*${seg})`,
      ...(gop ? ['-g', String(gop), '-keyint_min', String(gop)] : []),
      '-sc_threshold', '0',
      '-b:v', `${r.videoKbps}k`,
      '-maxrate', `${r.maxKbps}k`,
      '-bufsize', `${r.bufKbps}k`,
      ...(p.hasAudio ? ['-c:a', 'aac', '-b:a', `${AUDIO_KBPS}k`, '-ac', '2', '-ar', '48000'] : []),
      '-f', 'hls',
      '-hls_time', String(seg),
      '-hls_playlist_type', p.playlistType ?? 'vod',
      // temp_file: segments and playlists are written aside and renamed, so a reader of the growing
      // stream never sees a half-written file.
      '-hls_flags', p.playlistType === 'event' ? 'independent_segments+temp_file' : 'independent_segments',
      '-hls_key_info_file', p.keyInfoFiles[i]!,
      '-hls_segment_filename', path.join(dir, 'seg_%03d.ts'),
    ];
    return { target: path.join(dir, 'index.m3u8'), options };
  });
  outputs.push(...extra);

  return {
    globalOptions: ['-hide_banner', '-nostdin', '-y'],
    inputOptions: [],
    input: p.input,
    filterComplex,
    outputs,
  };
}

/** Flat argument list (what `ffmpeg` receives), for spawn and for the benchmark. */
export function ladderArgs(cmd: LadderCommand): string[] {
  return [
    ...cmd.globalOptions,
    ...cmd.inputOptions,
    '-i', cmd.input,
    '-filter_complex', cmd.filterComplex,
    ...cmd.outputs.flatMap((o) => [...o.options, o.target]),
  ];
}

/** Key info file contents: key URI written into the playlist, key file path, IV (hex). */
export function keyInfo(uri: string, keyFile: string, ivHex: string): string {
  return `${uri}\n${keyFile}\n${ivHex}\n`;
}

export interface StoryboardPlan {
  interval: number;
  count: number;
  cols: number;
  rows: number;
  tileW: number;
  tileH: number;
}

/** Storyboard layout: one thumbnail every `interval` seconds, at most `max` tiles, in a grid. */
export function planStoryboard(durationS: number, source: { width: number; height: number }, max = 100): StoryboardPlan {
  const interval = Math.max(1, Math.ceil(durationS / max));
  const count = Math.max(1, Math.min(max, Math.ceil(durationS / interval)));
  const cols = Math.min(10, count);
  const rows = Math.ceil(count / cols);
  const tileW = 160;
  const tileH = even((tileW * source.height) / source.width);
  return { interval, count, cols, rows, tileW, tileH };
}

function ts(t: number): string {
  const h = Math.floor(t / 3600);
  const m = Math.floor((t % 3600) / 60);
  const s = t % 60;
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:${s.toFixed(3).padStart(6, '0')}`;
}

/** WebVTT cues pointing into the sprite with media fragments (`sprite.jpg#xywh=x,y,w,h`). */
export function storyboardVtt(plan: StoryboardPlan, durationS: number, spriteUrl = 'storyboard.jpg'): string {
  const lines = ['WEBVTT', ''];
  for (let i = 0; i < plan.count; i++) {
    const start = i * plan.interval;
    if (start >= durationS) break;
    const end = Math.min(durationS, start + plan.interval);
    const x = (i % plan.cols) * plan.tileW;
    const y = Math.floor(i / plan.cols) * plan.tileH;
    lines.push(`${ts(start)} --> ${ts(end)}`, `${spriteUrl}#xywh=${x},${y},${plan.tileW},${plan.tileH}`, '');
  }
  return lines.join('\n');
}

export interface VariantInfo {
  rung: Rung;
  bandwidth: number;
  averageBandwidth: number;
}

/** Master playlist written by us (FFmpeg's own one cannot describe per-output key files). */
export function masterPlaylist(variants: VariantInfo[], hasAudio: boolean): string {
  const lines = ['#EXTM3U', '#EXT-X-VERSION:3', '#EXT-X-INDEPENDENT-SEGMENTS'];
  for (const v of variants) {
    lines.push(
      `#EXT-X-STREAM-INF:BANDWIDTH=${v.bandwidth},AVERAGE-BANDWIDTH=${v.averageBandwidth},RESOLUTION=${v.rung.width}x${v.rung.height},CODECS="${rungCodecs(v.rung, hasAudio)}"`,
      `${v.rung.name}/index.m3u8`,
    );
  }
  return lines.join('\n') + '\n';
}

/** Segment durations from a variant playlist (#EXTINF lines, in order with their URIs). */
export function parseSegments(playlist: string): { uri: string; duration: number }[] {
  const out: { uri: string; duration: number }[] = [];
  let pending: number | null = null;
  for (const raw of playlist.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('#EXTINF:')) pending = Number(line.slice(8).split(',')[0]);
    else if (line && !line.startsWith('#') && pending !== null) {
      out.push({ uri: line, duration: pending });
      pending = null;
    }
  }
  return out;
}

/** Peak and average bandwidth (bit/s) from segment sizes, as the HLS spec defines them. */
export function measureBandwidth(segments: { bytes: number; duration: number }[]): { peak: number; average: number } {
  let bits = 0;
  let secs = 0;
  let peak = 0;
  for (const s of segments) {
    bits += s.bytes * 8;
    secs += s.duration;
    if (s.duration > 0) peak = Math.max(peak, (s.bytes * 8) / s.duration);
  }
  return { peak: Math.ceil(peak), average: secs > 0 ? Math.ceil(bits / secs) : 0 };
}
