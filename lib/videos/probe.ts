// ffprobe wrapper: what the transcoder needs to know about a source, with clear errors for files
// that are not playable video.
import { execFile } from 'node:child_process';
import { ffprobePath } from './paths';

export interface ProbeResult {
  formatName: string;
  durationS: number;
  width: number;
  height: number;
  /** Frames per second of the video stream (rounded to 3 decimals), 0 when unknown. */
  fps: number;
  videoCodec: string;
  hasAudio: boolean;
  audioCodec: string | null;
  bitRate: number | null;
  /** Rotation in degrees from the display matrix (90/270 swap width and height for display). */
  rotation: number;
}

export class ProbeError extends Error {
  constructor(message: string, readonly detail?: string) {
    super(message);
    this.name = 'ProbeError';
  }
}

interface RawStream {
  codec_type?: string;
  codec_name?: string;
  width?: number;
  height?: number;
  avg_frame_rate?: string;
  r_frame_rate?: string;
  duration?: string;
  tags?: Record<string, string>;
  side_data_list?: { rotation?: number }[];
}

function rate(s: string | undefined): number {
  if (!s) return 0;
  const [n, d] = s.split('/').map(Number);
  if (!n || !d) return 0;
  return Math.round((n / d) * 1000) / 1000;
}

export function parseProbeJson(json: string): ProbeResult {
  let data: { streams?: RawStream[]; format?: { format_name?: string; duration?: string; bit_rate?: string } };
  try {
    data = JSON.parse(json);
  } catch {
    throw new ProbeError('The file could not be read as media.');
  }
  const streams = data.streams ?? [];
  const video = streams.find((s) => s.codec_type === 'video' && s.codec_name !== 'mjpeg' && s.codec_name !== 'png');
  if (!video || !video.width || !video.height) throw new ProbeError('The file has no video stream.');
  const audio = streams.find((s) => s.codec_type === 'audio');
  const durationS = Number(data.format?.duration ?? video.duration ?? NaN);
  if (!Number.isFinite(durationS) || durationS <= 0) throw new ProbeError('The video has no readable duration.');
  const rot = Number(video.tags?.rotate ?? video.side_data_list?.find((d) => d.rotation !== undefined)?.rotation ?? 0);
  const rotation = ((Math.round(rot) % 360) + 360) % 360;
  const swap = rotation === 90 || rotation === 270;
  return {
    formatName: data.format?.format_name ?? 'unknown',
    durationS,
    width: swap ? video.height : video.width,
    height: swap ? video.width : video.height,
    fps: rate(video.avg_frame_rate) || rate(video.r_frame_rate),
    videoCodec: video.codec_name ?? 'unknown',
    hasAudio: !!audio,
    audioCodec: audio?.codec_name ?? null,
    bitRate: data.format?.bit_rate ? Number(data.format.bit_rate) : null,
    rotation,
  };
}

/** Probes a local file. Rejects with ProbeError when ffprobe cannot read it as video. */
export function probe(file: string, opts: { timeoutMs?: number; extraArgs?: string[] } = {}): Promise<ProbeResult> {
  const args = ['-v', 'error', ...(opts.extraArgs ?? []), '-print_format', 'json', '-show_format', '-show_streams', file];
  return new Promise((resolve, reject) => {
    execFile(ffprobePath(), args, { timeout: opts.timeoutMs ?? 30_000, maxBuffer: 8 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) {
        const reason = String(stderr || err.message).trim().split('\n').slice(-1)[0] ?? 'unknown error';
        reject(new ProbeError('The file is not a readable video (it may be truncated or corrupt).', reason));
        return;
      }
      try {
        resolve(parseProbeJson(stdout));
      } catch (e) {
        reject(e);
      }
    });
  });
}
