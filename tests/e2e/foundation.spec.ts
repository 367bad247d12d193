// The first-run experience and the launcher, on a Marquee of its own (fresh DATA_DIR, embedded
// PostgreSQL): setup → sign in → dashboard → sign out → protected page redirects; then SIGTERM
// stops every process it started and a second start reuses the data.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test, expect } from '@playwright/test';
import { descendants, isAlive, startMarquee, waitForHealthy } from './helpers';

const port = Number(process.env.E2E_PORT ?? 3100) + 7;
const base = `http://localhost:${port}`;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'marquee-e2e-first-run-'));
const env = { PORT: String(port), DATA_DIR: dataDir, EMBEDDED_PG_PORT: String(port + 50_000), HEARTBEAT_INTERVAL_S: '2', LOG_LEVEL: 'warn', REBUILD_ON_CHANGE: 'false' };
const admin = { name: 'First Admin', email: 'first@e2e.test', password: 'First-Run-Passw0rd!' };

test.describe.configure({ mode: 'serial' });
test.afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

async function stopAndCheck(m: ReturnType<typeof startMarquee>) {
  const pids = [m.proc.pid!, ...descendants(m.proc.pid!)];
  expect(pids.length).toBeGreaterThanOrEqual(4); // launcher, web, worker, postgres (+ helpers)
  const started = Date.now();
  process.kill(m.proc.pid!, 'SIGTERM');
  const describe = (pid: number) => {
    try {
      return `${pid} ${fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ')}`;
    } catch {
      return `${pid}`;
    }
  };
  await expect.poll(() => pids.filter(isAlive).map(describe), { timeout: 20_000, intervals: [250] }).toEqual([]);
  expect(Date.now() - started).toBeLessThan(20_000);
  expect(fs.existsSync(path.join(dataDir, 'db', 'postmaster.pid'))).toBe(false);
}

test('first run: setup the admin, sign in, dashboard, sign out, protected page redirects; restart keeps the data', async ({ page }) => {
  test.setTimeout(420_000);
  let m = startMarquee(env);
  await waitForHealthy(base);
  await expect.poll(() => m.output()).toContain(`create the admin account at ${base}/setup`);
  const secrets = fs.statSync(path.join(dataDir, 'secrets.json'));
  expect(secrets.mode & 0o777).toBe(0o600);

  // An anonymous visitor is sent to sign in, and sign-in sends a new install to /setup.
  await page.goto(`${base}/`);
  await expect(page).toHaveURL(`${base}/setup`);
  await page.getByLabel('Name').fill(admin.name);
  await page.getByLabel('Email').fill(admin.email);
  await page.getByLabel('Password', { exact: true }).fill('weak');
  await page.getByLabel('Confirm password').fill('weak');
  await page.getByRole('button', { name: 'Create admin' }).click();
  await expect(page.getByText(/at least 12 characters/)).toBeVisible();
  // A rejected form keeps what was typed (except passwords).
  await expect(page.getByLabel('Email')).toHaveValue(admin.email);
  await page.getByLabel('Password', { exact: true }).fill(admin.password);
  await page.getByLabel('Confirm password').fill(admin.password);
  await page.getByRole('button', { name: 'Create admin' }).click();
  await expect(page).toHaveURL(/\/login/);

  await page.getByLabel('Email').fill(admin.email);
  await page.getByLabel('Password').fill('Wrong-Passw0rd!!');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByText('Invalid email or password.')).toBeVisible();
  await page.getByLabel('Password').fill(admin.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(`${base}/`);
  await expect(page.getByTestId('current-user')).toHaveText(admin.name);
  await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Dashboard' })).toHaveAttribute('aria-current', 'page');
  for (const label of ['Servers', 'History', 'Analytics', 'Autoscan', 'Library', 'Tracker', 'Users', 'Audit log']) {
    await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: label })).toBeVisible();
  }

  // Dark mode persists across a reload.
  const wasDark = await page.evaluate(() => document.documentElement.classList.contains('dark'));
  await page.getByTestId('theme-toggle').first().click();
  await page.reload();
  expect(await page.evaluate(() => document.documentElement.classList.contains('dark'))).toBe(!wasDark);

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/login/);
  await page.goto(`${base}/history`);
  await expect(page).toHaveURL(`${base}/login?callbackUrl=%2Fhistory`);
  const api = await page.request.get(`${base}/api/health`);
  expect(api.status()).toBe(200);

  await stopAndCheck(m);

  // Second start: same data, so no setup link and the admin signs in again.
  m = startMarquee(env);
  await waitForHealthy(base);
  await page.goto(`${base}/login`);
  await page.getByLabel('Email').fill(admin.email);
  await page.getByLabel('Password').fill(admin.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('current-user')).toHaveText(admin.name);
  expect(m.output()).not.toContain('/setup');
  await stopAndCheck(m);
});
