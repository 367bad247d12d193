// FFmpeg and ffprobe explain failures with our own file paths and memory addresses in the text
// ("/data/uploads/tmp-….part: Invalid data found…", "[h264 @ 0x55d…]"). Uploaders get the reason
// without them; the full text goes to the log only.
import { TranscodeError } from './build-hls';
import { ProbeError } from './probe';

const PATH = /(?<=^|[\s'"=(])\/[^\s'",;]*?(?=:\s|:$|[\s'",;]|$):?/g;
const QUOTED = /(['"])[^'"]*[/\\][^'"]*\1/g;
const ADDRESS = /\s*@\s*0x[0-9a-f]+/gi;

/** The reason in FFmpeg/ffprobe output, with paths, quoted file names and addresses removed. */
export function publicMediaReason(detail: string | undefined | null, fallback = 'unknown error'): string {
  const lines = String(detail ?? '')
    .split(/\r?\n| \| /)
    .map((line) =>
      line
        .replace(QUOTED, 'a file')
        .replace(PATH, '')
        .replace(ADDRESS, '')
        .replace(/\[\s*\]/g, '')
        .replace(/^[\s:,-]+/, '')
        .replace(/\s{2,}/g, ' ')
        .trim(),
    )
    .filter((l) => l.length > 0);
  const text = [...new Set(lines)].join('; ');
  return (text || fallback).slice(0, 300);
}

/** What an uploader is told about a failed probe or transcode (never a path; anything unexpected stays in the log). */
export function publicFailureReason(err: unknown): string {
  if (err instanceof ProbeError) {
    const reason = err.detail ? `${publicMediaReason(err.detail)}; it may be truncated or corrupt` : err.message.replace(/\.$/, '');
    return `The file is not a playable video: ${reason}.`;
  }
  if (err instanceof TranscodeError) return `FFmpeg failed: ${publicMediaReason(err.reason)}`;
  return 'The transcode failed unexpectedly (the worker log has the details).';
}
