// The admin's jobs page against the real app and worker (`npm start`): every job of the registry is
// listed; "Run now" queues the directory sync, which the worker runs; the page then shows its run.
import { test, expect } from '@playwright/test';
import { ADMIN, signIn } from './helpers';

test('admin sees the background jobs and runs the directory sync now', async ({ page }) => {
  test.setTimeout(180_000);
  await signIn(page, ADMIN.email, ADMIN.password);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Jobs' }).click();
  await expect(page.getByRole('heading', { name: 'Background jobs' })).toBeVisible();
  const table = page.getByTestId('jobs-table');
  for (const name of ['video-transcode', 'video-transcode-sweep', 'worker-heartbeat', 'server-poll', 'server-poll-reconcile', 'server-directory-sync']) {
    await expect(table.getByText(name, { exact: true })).toBeVisible();
  }
  const row = table.locator('tr', { hasText: 'server-directory-sync' });
  await row.getByRole('button', { name: 'Run now' }).click();
  await expect(row.getByRole('status')).toHaveText('Queued.');
  // The worker picks it up within a few seconds; the page shows the completed run.
  await expect(async () => {
    await page.reload();
    await expect(table.locator('tr', { hasText: 'server-directory-sync' })).toContainText('completed', { timeout: 1000 });
  }).toPass({ timeout: 60_000 });

  await page.goto('/admin/audit');
  await expect(page.getByRole('cell', { name: 'job.run', exact: true }).first()).toBeVisible();
});
