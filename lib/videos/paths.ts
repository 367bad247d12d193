// Filesystem layout of the video library and the FFmpeg binaries. Every path here is built from
// generated ids only: a user's file name never reaches the filesystem.
import path from 'node:path';
import { env } from '../env';

/** FFmpeg binary: FFMPEG_PATH, else `ffmpeg` resolved through PATH by the OS. */
export function ffmpegPath(): string {
  return env.FFMPEG_PATH ?? 'ffmpeg';
}

/** FFprobe binary: FFPROBE_PATH, else next to FFMPEG_PATH when that is set, else `ffprobe` on PATH. */
export function ffprobePath(): string {
  if (env.FFPROBE_PATH) return env.FFPROBE_PATH;
  if (env.FFMPEG_PATH && path.basename(env.FFMPEG_PATH).startsWith('ffmpeg')) {
    return path.join(path.dirname(env.FFMPEG_PATH), path.basename(env.FFMPEG_PATH).replace(/^ffmpeg/, 'ffprobe'));
  }
  return 'ffprobe';
}

const SAFE_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** Throws unless `id` is a generated identifier (no dots, slashes or encoded characters). */
export function assertSafeId(id: string): string {
  if (!SAFE_ID.test(id)) throw new Error(`unsafe path component: ${JSON.stringify(id)}`);
  return id;
}

export function videosRoot(dataDir = env.DATA_DIR): string {
  return path.resolve(dataDir, 'videos');
}

export function uploadsRoot(dataDir = env.DATA_DIR): string {
  return path.resolve(dataDir, 'uploads');
}

/** Published HLS output of one video (only ever replaced by an atomic rename). */
export function publishedDir(videoId: string, dataDir = env.DATA_DIR): string {
  return path.join(videosRoot(dataDir), 'public', assertSafeId(videoId));
}

/** Work area for in-progress transcodes; never served. */
export function workRoot(dataDir = env.DATA_DIR): string {
  return path.join(videosRoot(dataDir), 'work');
}

/** Stored original of a video. */
export function sourcePath(videoId: string, dataDir = env.DATA_DIR): string {
  return path.join(videosRoot(dataDir), 'sources', `${assertSafeId(videoId)}.bin`);
}

/** Partial data of an upload session. */
export function uploadPartPath(uploadId: string, dataDir = env.DATA_DIR): string {
  return path.join(uploadsRoot(dataDir), `${assertSafeId(uploadId)}.part`);
}
