// Acceptance 5: upload a short clip through the UI with the progress bar → wait for ready → play
// with hls.js past 3 s → reload → playback resumes near the saved position; the quality menu
// lists the rungs.
import { test, expect, type Page } from '@playwright/test';
import { signIn, generatedClipForSpec } from './helpers';

const clip = generatedClipForSpec('e2e-clip', 10, 330);

const currentTime = (page: Page) => page.getByTestId('player').evaluate((v: HTMLVideoElement) => v.currentTime);

test('upload through the UI, play with hls.js, and resume after a reload', async ({ page }) => {
  test.setTimeout(240_000);
  await signIn(page);
  await page.goto('/library');
  await page.getByTestId('upload-file').setInputFiles(clip());
  await page.getByLabel('Title').fill('E2E test pattern');
  await page.getByRole('button', { name: 'Upload' }).click();
  await expect(page.getByTestId('upload-progress')).toBeVisible();

  // The upload completes and opens the video page, which refreshes until the transcode is ready.
  await page.waitForURL(/\/library\/[A-Za-z0-9_-]+$/, { timeout: 60_000 });
  await expect(page.getByTestId('player')).toBeVisible({ timeout: 180_000 });

  const quality = page.getByTestId('quality');
  await expect(quality.locator('option')).toHaveText(['Auto', '720p', '480p', '360p']);
  await expect(page.getByLabel('Quality', { exact: true })).toHaveAttribute('data-testid', 'quality');

  await page.getByTestId('player').evaluate((v: HTMLVideoElement) => {
    v.muted = true;
    return v.play();
  });
  await expect.poll(() => currentTime(page), { timeout: 60_000 }).toBeGreaterThan(3);

  // Pausing saves the position (PUT /progress).
  const saved = page.waitForResponse((r) => r.url().includes('/progress') && r.request().method() === 'PUT' && r.ok());
  await page.getByTestId('player').evaluate((v: HTMLVideoElement) => v.pause());
  await saved;
  const at = await currentTime(page);

  await page.reload();
  await expect(page.getByTestId('player')).toBeVisible();
  await expect.poll(() => currentTime(page), { timeout: 30_000 }).toBeGreaterThan(at - 1.5);
  expect(await currentTime(page)).toBeLessThan(at + 3);

  // Picking a rung in the quality menu is accepted by hls.js.
  await quality.selectOption({ label: '480p' });
  await expect(quality).toHaveValue(/\d/);

  // The library's search and filters are labelled fields; Enter in the search field submits.
  await page.goto('/library');
  await page.getByLabel('Search').fill('test pattern');
  await page.getByLabel('Search').press('Enter');
  await page.waitForURL(/[?&]q=test\+pattern/);
  await expect(page.getByRole('link', { name: /E2E test pattern/ })).toBeVisible();
  await expect(page.getByLabel('Category')).toBeVisible();
  await expect(page.getByLabel('Minimum duration (s)')).toBeVisible();
  await expect(page.getByLabel('Uploaded from')).toBeVisible();
  await expect(page.getByLabel('Sort')).toBeVisible();

  // A rejected query says so and keeps what was typed.
  const tooLong = 'x'.repeat(201);
  await page.goto(`/library?q=${tooLong}`);
  await expect(page.getByText(/Some filters were not understood/)).toBeVisible();
  await expect(page.getByLabel('Search')).toHaveValue(tooLong);
});
