// Watching while it transcodes: a longer clip is uploaded through the UI; its page shows the player
// while the video is still processing, hls.js plays the growing stream from its start, and keeps
// playing (the same <video>, no fatal error) across the switch to the finished VOD playlists.
import { test, expect, type Page } from '@playwright/test';
import { signIn, generatedClipForSpec } from './helpers';

// 90 s at 720p: three rungs, a transcode that lasts well beyond the first segments.
const clip = generatedClipForSpec('e2e-live', 90, 550);

const player = (page: Page) => page.getByTestId('player');
const currentTime = (page: Page) => player(page).evaluate((v: HTMLVideoElement) => v.currentTime);

test('start watching while the video is processing, and keep playing across the switch to the finished stream', async ({ page }) => {
  test.setTimeout(600_000);
  await signIn(page);
  await page.goto('/library');
  await page.getByTestId('upload-file').setInputFiles(clip());
  await page.getByLabel('Title').fill('E2E live pattern');
  await page.getByRole('button', { name: 'Upload' }).click();
  await page.waitForURL(/\/library\/[A-Za-z0-9_-]+$/, { timeout: 120_000 });
  const id = page.url().split('/').pop()!;

  // The player appears while the video is still transcoding.
  await expect(player(page)).toBeVisible({ timeout: 300_000 });
  await expect(page.getByTestId('live-notice')).toBeVisible();
  const api = async () => (await (await page.request.get(`/api/videos/${id}`)).json()) as { status: string; playbackUrl: string | null };
  expect((await api()).status).toBe('processing');

  // It plays from the start, not from the live edge.
  // Half speed: the viewer stays behind the transcoder, so the switch happens mid-playback.
  await player(page).evaluate((v: HTMLVideoElement) => {
    v.muted = true;
    v.playbackRate = 0.5;
    (v as HTMLVideoElement & { marker?: string }).marker = 'same-element';
    return v.play();
  });
  await expect.poll(() => currentTime(page), { timeout: 120_000 }).toBeGreaterThan(1);
  expect(await currentTime(page)).toBeLessThan(20);
  expect((await api()).status).toBe('processing'); // still watching a growing stream

  // The job ends: the page drops its "still transcoding" notice, the player keeps going.
  await expect(page.getByTestId('live-notice')).toBeHidden({ timeout: 480_000 });
  expect((await api()).status).toBe('ready');
  const atSwitch = await currentTime(page);
  // Playback goes on past the switch (or, on a machine so loaded that the viewer caught up with the
  // transcoder, runs to the end of the video instead of stopping at an error).
  const state = () => player(page).evaluate((v: HTMLVideoElement) => ({ t: v.currentTime, ended: v.ended, paused: v.paused }));
  await expect.poll(async () => {
    const s = await state();
    return s.t > atSwitch + 3 || (s.ended && s.t > 89);
  }, { timeout: 90_000 }).toBe(true);
  console.log(`position at the switch to VOD: ${atSwitch.toFixed(1)} s; now ${(await state()).t.toFixed(1)} s`);
  expect(await player(page).evaluate((v: HTMLVideoElement) => (v as HTMLVideoElement & { marker?: string }).marker)).toBe('same-element');
  const after = await state();
  expect(after.paused && !after.ended).toBe(false);
  await expect(page.getByText(/Playback error/)).toHaveCount(0);
  // The finished stream is VOD: hls.js now knows the whole duration.
  await expect.poll(() => player(page).evaluate((v: HTMLVideoElement) => v.duration), { timeout: 30_000 }).toBeGreaterThan(85);
});
