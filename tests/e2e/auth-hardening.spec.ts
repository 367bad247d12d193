// Lockout and re-authentication in the browser: an admin sees a user's locked-out client on the
// users page and lifts the lock with the Unlock button; a session signed in more than 10 minutes
// ago is asked for the password (the re-auth dialog) before it may create an API token.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test, expect, request as playwrightRequest } from '@playwright/test';
import { decode, encode } from 'next-auth/jwt';
import { ADMIN, signIn } from './helpers';

const port = Number(process.env.E2E_PORT ?? 3100);
/** The secret `npm start` generated into the e2e DATA_DIR (playwright.config.ts). */
const authSecret = () => (JSON.parse(fs.readFileSync(path.join(os.tmpdir(), `marquee-e2e-${port}`, 'secrets.json'), 'utf8')) as { authSecret: string }).authSecret;

// Every e2e client is 127.0.0.1 (no proxy in front), and sign-in allows 10 attempts a minute per
// address, successful ones included: let the earlier spec files' sign-ins age out first. This file
// then makes 7 (2 admin sign-ins, 5 wrong passwords).
test.beforeAll(async () => {
  await new Promise((r) => setTimeout(r, 61_000));
});

test('a locked-out client shows on the users page and the admin unlocks it', async ({ page, baseURL }) => {
  await signIn(page, ADMIN.email, ADMIN.password);
  const victim = { email: `e2e-locked-${Date.now()}@e2e.test`, password: 'Temp-Heron-Slate-62' };
  const created = await page.request.post('/api/users', { data: { email: victim.email, name: 'Locked', role: 'viewer', password: victim.password } });
  expect(created.status()).toBe(201);

  // Five wrong passwords from another browser (same address: this server has no proxy in front).
  const stranger = await playwrightRequest.newContext({ baseURL });
  for (let i = 0; i < 5; i++) {
    const { csrfToken } = (await (await stranger.get('/api/auth/csrf')).json()) as { csrfToken: string };
    const res = await stranger.post('/api/auth/callback/credentials', { form: { csrfToken, email: victim.email, password: `Wrong-Guess-${i}!x`, json: 'true' } });
    expect(res.status()).toBe(401);
    expect(((await res.json()) as { url: string }).url).toContain('error=CredentialsSignin'); // evaluated, not rate-limited
  }
  await stranger.dispose();

  await page.goto('/admin/users');
  const row = page.getByTestId(`user-${victim.email}`);
  await expect(row).toContainText('1 client locked out after failed sign-ins');
  await row.getByRole('button', { name: 'Unlock' }).click();
  await expect(page.getByRole('status')).toContainText(`Sign-in locks lifted for ${victim.email}`);
  await expect(row).not.toContainText('locked out');
});

test('creating an API token after 10 minutes asks for the password first', async ({ page, context }) => {
  await signIn(page, ADMIN.email, ADMIN.password);
  // Age the session: the same JWT, signed in 11 minutes ago.
  const cookie = (await context.cookies()).find((c) => c.name.endsWith('next-auth.session-token'))!;
  const payload = await decode({ token: cookie.value, secret: authSecret() });
  const aged = await encode({ token: { ...payload, auth_time: Math.floor(Date.now() / 1000) - 11 * 60 }, secret: authSecret() });
  await context.addCookies([{ ...cookie, value: aged }]);

  await page.goto('/account');
  await page.getByLabel('Token name').fill('after reauth');
  await page.getByRole('button', { name: 'Create token' }).click();
  const dialog = page.getByRole('dialog', { name: 'Confirm it is you' });
  await expect(dialog).toBeVisible();
  await dialog.getByLabel('Password').fill('not-the-password');
  await dialog.getByRole('button', { name: 'Confirm' }).click();
  await expect(dialog.getByRole('alert')).toContainText('not correct');
  await dialog.getByLabel('Password').fill(ADMIN.password);
  await dialog.getByRole('button', { name: 'Confirm' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('new-token')).toContainText('after reauth');
});
