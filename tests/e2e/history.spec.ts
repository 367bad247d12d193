// Acceptance 4 of History: a session played on a fake Jellyfin appears in /history once it stops;
// filtering narrows the table to it; exporting CSV from the page downloads it.
import { readFileSync } from 'node:fs';
import { test, expect } from '@playwright/test';
import { FakeJellyfin } from '../fakes';
import { signIn } from './helpers';

const fake = new FakeJellyfin('e2e-history-key');

test.beforeAll(async () => {
  await fake.listen();
});
test.afterAll(async () => {
  await fake.close();
});

test('a played session appears in /history after it stops, can be filtered to, and exported as CSV', async ({ page }) => {
  test.setTimeout(240_000);
  await signIn(page);
  const res = await page.request.post('/api/servers', { data: { type: 'jellyfin', name: 'E2E History', url: fake.url, token: fake.token, pollIntervalS: 2 } });
  expect(res.status()).toBe(201);

  const other = fake.startSession({ user: 'bob', title: 'Spirited Away', mediaType: 'movie' });
  // A user and title no other spec uses: the e2e server is shared (dashboard.spec also plays an 'Ozymandias' as alice).
  const session = fake.startSession({ user: 'carol', title: 'Ozymandias, "the" finale' });
  // Seen by a poll (a new server's first poll is queued when it is added), then stopped.
  await expect.poll(async () => (await (await page.request.get('/api/history?q=finale')).json()).plays.length, { timeout: 100_000 }).toBe(1);
  fake.stopSession(session.id);
  fake.stopSession(other.id);
  await expect
    .poll(async () => (await (await page.request.get('/api/history?q=finale')).json()).plays[0]?.stoppedAt ?? null, { timeout: 30_000 })
    .not.toBeNull();

  await page.goto('/history');
  const table = page.getByTestId('history-table');
  await expect(table).toContainText('Ozymandias, "the" finale');
  await expect(table).toContainText('Spirited Away');

  await page.getByLabel('Media user').fill('carol');
  await page.getByRole('button', { name: 'Apply filters' }).click();
  await expect(page).toHaveURL(/mediaUser=carol/);
  await expect(table).toContainText('Ozymandias');
  await expect(table).not.toContainText('Spirited Away');

  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^marquee-history-.*\.csv$/);
  const csv = readFileSync((await file.path())!, 'utf8');
  const lines = csv.trim().split('\r\n');
  expect(lines[0]!.startsWith('id,serverId,serverName,mediaUser,title,')).toBe(true);
  expect(lines).toHaveLength(2);
  expect(lines[1]).toContain('"Ozymandias, ""the"" finale"');
  await expect(page.getByTestId('export-message')).toContainText('Exported 1 play.');

  await page.getByRole('link', { name: /Ozymandias/ }).click();
  await expect(page.getByText('Stream decision')).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Pauses' })).toBeVisible();
});
