import { describe, expect, test } from 'vitest';
import { publicFailureReason, publicMediaReason } from '@/lib/videos/media-errors';
import { ProbeError } from '@/lib/videos/probe';
import { TranscodeError } from '@/lib/videos/build-hls';

describe('FFmpeg/ffprobe reasons shown to uploaders', () => {
  test('ffprobe naming our upload file keeps only the reason', () => {
    const stderr = '/srv/marquee/data/uploads/tmp-1732870000000-0a1b2c3d4e5f6a7b.part: Invalid data found when processing input';
    expect(publicMediaReason(stderr)).toBe('Invalid data found when processing input');
    const probe = new ProbeError('The file is not a readable video (it may be truncated or corrupt).', stderr);
    expect(publicFailureReason(probe)).toBe('The file is not a playable video: Invalid data found when processing input; it may be truncated or corrupt.');
  });

  test('FFmpeg lines lose addresses, quoted paths and bare paths, but keep codec words like preset/tune', () => {
    const tail = [
      "[libx264 @ 0x55d5c8a3e2c0] Error setting preset/tune no-such-preset/(null).",
      "[hls @ 0x5581aa] Opening '/srv/marquee/data/videos/work/cm1-ab12/out/v0/seg_000.ts' for writing failed",
      'Error opening output file /srv/marquee/data/videos/work/cm1-ab12/out/v0/index.m3u8.',
    ].join(' | ');
    const out = publicFailureReason(new TranscodeError('FFmpeg failed.', tail));
    expect(out).toMatch(/^FFmpeg failed: /);
    expect(out).toContain('[libx264] Error setting preset/tune no-such-preset/(null).');
    expect(out).toContain('[hls] Opening a file for writing failed');
    expect(out).toContain('Error opening output file');
    expect(out).not.toMatch(/\/srv|0x[0-9a-f]|seg_000|index\.m3u8|work/);
  });

  test('anything unexpected (it may carry paths: ENOENT, EACCES…) is a generic sentence', () => {
    const err = Object.assign(new Error("ENOENT: no such file or directory, rename '/srv/x/out' -> '/srv/y'"), { code: 'ENOENT' });
    expect(publicFailureReason(err)).toBe('The transcode failed unexpectedly (the worker log has the details).');
  });
});
