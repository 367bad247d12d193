// Accounts end to end: an admin creates a user → the user signs in with the temporary password →
// is forced to change it → enrols TOTP → signs out and back in with a code.
import { test, expect, type Page } from '@playwright/test';
import { Secret, TOTP } from 'otpauth';
import { ADMIN, signIn } from './helpers';

const user = { email: `e2e-user-${Date.now()}@e2e.test`, name: 'E2E User', temp: 'Temp-Orchid-Lamp-41', password: 'Own-Granite-Bridge-83' };
const code = (secret: string) => new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30 }).generate();

async function signOut(page: Page) {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/login/);
}

async function fillLogin(page: Page, email: string, password: string) {
  await page.goto('/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

test('admin creates a user; forced password change; TOTP enrolment; sign-in with a code', async ({ page }) => {
  test.setTimeout(300_000);
  await signIn(page, ADMIN.email, ADMIN.password);

  // The admin's sign-in is in the audit log, and the action filter narrows the list.
  await page.goto('/admin/audit');
  await expect(page.getByRole('cell', { name: 'auth.sign_in', exact: true }).first()).toBeVisible();
  await page.getByLabel('Action').selectOption('auth.sign_in');
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page.locator('tbody tr').first()).toContainText('auth.sign_in');

  await page.goto('/admin/users');
  await page.getByText('Create a user').click();
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Name', { exact: true }).fill(user.name);
  await page.getByLabel('Role').selectOption('uploader');
  await page.getByLabel('Temporary password').fill(user.temp);
  await page.getByRole('button', { name: 'Create user' }).click();
  await expect(page.getByRole('status')).toContainText(`Created ${user.email}`);
  await expect(page.getByTestId(`user-${user.email}`)).toContainText('must change password');
  await signOut(page);

  // Temporary password works, but only for changing it.
  await fillLogin(page, user.email, user.temp);
  await expect(page).toHaveURL(/\/account\/password/);
  await page.goto('/account');
  await expect(page).toHaveURL(/\/account\/password/);
  await page.getByLabel('Current password').fill(user.temp);
  await page.getByLabel('New password', { exact: true }).fill('Password123!');
  await page.getByLabel('Confirm new password').fill('Password123!');
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.getByText(/less common password/)).toBeVisible();
  await page.getByLabel('New password', { exact: true }).fill(user.password);
  await page.getByLabel('Confirm new password').fill(user.password);
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();

  // Enrol TOTP.
  await page.goto('/account');
  await page.getByRole('button', { name: 'Set up two-factor authentication' }).click();
  await expect(page.getByAltText('QR code for your authenticator app')).toBeVisible();
  const secret = (await page.getByTestId('totp-secret').textContent())!.trim();
  await page.getByLabel('Code from the app').fill(code(secret));
  await page.getByRole('button', { name: 'Turn on' }).click();
  await expect(page.getByTestId('recovery-codes').locator('li')).toHaveCount(10);
  await expect(page.getByTestId('totp-status')).toHaveText('on');
  await signOut(page);

  // Password alone is no longer enough; the code completes the sign-in.
  await fillLogin(page, user.email, user.password);
  await expect(page.getByLabel('Authentication code')).toBeVisible();
  await page.getByLabel('Authentication code').fill(code(secret));
  await page.getByRole('button', { name: 'Verify' }).click();
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
  await expect(page.getByTestId('current-user')).toContainText(user.name);

  // Security headers on the page response.
  const res = await page.request.get('/account');
  expect(res.headers()['content-security-policy']).toMatch(/'nonce-/);
  expect(res.headers()['x-frame-options']).toBe('DENY');
});
