// The timings the video library promises, as numbers (a change to any of them is a product
// decision, so it must fail here rather than pass silently).
import { expect, test } from 'vitest';
import { STALL_S, TRANSCODE_BEAT_MS, TRANSCODE_EXPIRE_S, UPLOAD_IDLE_TTL_MS, VIDEO_SWEEP_INTERVAL_MS } from '@/lib/videos/liveness';

test('a transcode beats every 30 s and is declared dead after 3 minutes of silence, i.e. six missed beats', () => {
  expect(TRANSCODE_BEAT_MS).toBe(30_000);
  expect(STALL_S).toBe(180);
  expect((STALL_S * 1000) / TRANSCODE_BEAT_MS).toBe(6);
});

test('stalls and abandoned uploads are looked for every minute; an attempt may run 3 hours at most', () => {
  expect(VIDEO_SWEEP_INTERVAL_MS).toBe(60_000);
  expect(TRANSCODE_EXPIRE_S).toBe(3 * 3600);
});

test('a resumable upload with no chunk for 24 hours is abandoned', () => {
  expect(UPLOAD_IDLE_TTL_MS).toBe(24 * 3600 * 1000);
});
