// Acceptance 3: with a fake Jellyfin running, a session started on it appears on the dashboard
// without a reload (SSE) and disappears when stopped.
import { test, expect } from '@playwright/test';
import { FakeJellyfin } from '../fakes';
import { signIn } from './helpers';

const fake = new FakeJellyfin('e2e-jellyfin-key');

test.beforeAll(async () => {
  await fake.listen();
});
test.afterAll(async () => {
  await fake.close();
});

test('a session started on the fake Jellyfin appears live on the dashboard and disappears when stopped', async ({ page }) => {
  await signIn(page);
  // Add the server through the API as the signed-in admin (a failing test first, like the UI does).
  const bad = await page.request.post('/api/servers', { data: { type: 'jellyfin', name: 'E2E Jellyfin', url: fake.url, token: 'wrong' } });
  expect(bad.status()).toBe(422);
  const res = await page.request.post('/api/servers', { data: { type: 'jellyfin', name: 'E2E Jellyfin', url: fake.url, token: fake.token, pollIntervalS: 2 } });
  expect(res.status()).toBe(201);

  await page.goto('/');
  await expect(page.getByTestId('nothing-playing')).toBeVisible();
  await expect(page.getByTestId('live-status')).toContainText('live');
  const navigations: string[] = [];
  page.on('framenavigated', (f) => { if (f === page.mainFrame()) navigations.push(f.url()); });

  const session = fake.startSession({ user: 'alice', title: 'Ozymandias', sourceHeight: 2160, streamHeight: 1080, decision: 'transcode', hdr: 'HDR10', bandwidthKbps: 8616, ipAddress: '203.0.113.24' });
  const card = page.getByTestId('session-card');
  await expect(card).toHaveCount(1, { timeout: 20_000 });
  await expect(card).toContainText('Breaking Bad — S05E14 — Ozymandias');
  await expect(card).toContainText('alice');
  await expect(card).toContainText('Transcode');
  await expect(card).toContainText('4K → 1080p · HDR10');
  await expect(card).toContainText('WAN');
  // This spec's server (others added by earlier specs may be down: their fakes have stopped).
  const { id } = (await res.json()) as { id: string };
  const chip = page.locator(`[data-testid="server-chip"][href="/servers/${id}"]`);
  await expect(chip.getByTestId('health-badge')).toHaveAttribute('data-health', 'ok');

  fake.stopSession(session.id);
  await expect(card).toHaveCount(0, { timeout: 20_000 });
  await expect(page.getByTestId('nothing-playing')).toBeVisible();
  expect(navigations).toEqual([]);
});
