// Acceptance 3 of Autoscan: copy the Sonarr webhook URL from /autoscan, post a real Sonarr import to
// it, and watch the request go queued → done on the page while the fake Jellyfin records the scan.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect } from '@playwright/test';
import { FakeJellyfin } from '../fakes';
import { signIn } from './helpers';

const fake = new FakeJellyfin('e2e-autoscan-key');
const FOLDER = '/volume2/Media/TV Series/Your Honor/Season 2';

test.beforeAll(async () => {
  await fake.listen();
});
test.afterAll(async () => {
  await fake.close();
});

test('a Sonarr import posted to the copied URL shows as queued, then done', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await signIn(page);
  const created = await page.request.post('/api/servers', { data: { type: 'jellyfin', name: 'Autoscan Jellyfin', url: fake.url, token: fake.token } });
  expect(created.status()).toBe(201);
  const { id } = (await created.json()) as { id: string };
  expect((await page.request.post(`/api/servers/${id}/sync`)).status()).toBe(200);

  await page.goto('/autoscan');
  // Sonarr's series folder lives under /data/tv on this Jellyfin: add the mapping in the editor.
  const mappingForm = page.getByRole('form', { name: 'Add a path mapping' });
  await mappingForm.getByLabel('From (*arr path)').fill('/volume2/Media/TV Series');
  await mappingForm.getByLabel('To (server path)').fill('/data/tv');
  await mappingForm.getByRole('button', { name: 'Add mapping' }).click();
  await expect(page.getByText('Mapping added.')).toBeVisible();
  const probe = page.getByRole('form', { name: 'Test a path' });
  await probe.getByLabel('Test a path').fill(`${FOLDER}/Your.Honor.S02E01.mkv`);
  await probe.getByRole('button', { name: 'Test' }).click();
  await expect(page.getByRole('list', { name: 'Test result' })).toContainText('/data/tv/Your Honor/Season 2');

  await page.getByRole('button', { name: 'Copy Sonarr URL' }).click();
  await expect(page.getByRole('button', { name: 'Copied' })).toBeVisible();
  const url = await page.evaluate(() => navigator.clipboard.readText());
  expect(url).toMatch(/\/api\/webhooks\/sonarr\?token=/);

  const body = JSON.parse(readFileSync(join(process.cwd(), 'tests/fixtures/sonarr/download_import_complete.json'), 'utf8')) as unknown;
  const res = await page.request.post(url, { data: body });
  expect(res.status()).toBe(202);
  expect(await res.json()).toEqual({ queued: 1 });

  const row = page.locator(`[data-testid="scan-row"][data-path="${FOLDER}"]`).first();
  await expect(row).toHaveAttribute('data-status', 'queued');
  await expect(row).toHaveAttribute('data-status', 'done', { timeout: 45_000 });
  await expect(row).toContainText('/data/tv/Your Honor/Season 2');
  await expect(row).toContainText('Media/Updated');
  expect(fake.callsOf('scan').map((c) => c.path)).toEqual(['/data/tv/Your Honor/Season 2']);
});
