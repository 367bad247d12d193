// Media-user sign-in in the browser: an admin turns it on for a Jellyfin server (the switch on the
// server's page) and a Plex server; /login then offers "Sign in with Plex" and the Jellyfin form; a
// Jellyfin user signs in with their Jellyfin password and sees only their own plays in /history.
// The switches are turned off again at the end (the e2e server is shared by every spec).
import { test, expect, type Page } from '@playwright/test';
import { FakeJellyfin, FakePlex } from '../fakes';
import { signIn } from './helpers';

const jellyfin = new FakeJellyfin('e2e-media-sign-in-key');
const plex = new FakePlex('e2e-media-sign-in-plex');
const ALICE = { id: '0f1e2d3c4b5a69788796a5b4c3d2e1f0', password: 'alice-e2e-jelly' };
const serverIds: string[] = [];
let admin: Page | null = null;

test.beforeAll(async () => {
  await Promise.all([jellyfin.listen(), plex.listen()]);
  jellyfin.setPassword('alice', ALICE.password);
});

test.afterAll(async () => {
  // Leave /login as the other specs expect it: no media sign-in anywhere.
  for (const id of serverIds) await admin?.request.delete(`/api/servers/${id}`);
  await admin?.close();
  await Promise.all([jellyfin.close(), plex.close()]);
});

test('an admin allows media sign-in; a Jellyfin user signs in with their password and sees only their own plays', async ({ browser }) => {
  test.setTimeout(240_000);
  admin = await browser.newPage();
  await signIn(admin);
  const jf = await admin.request.post('/api/servers', { data: { type: 'jellyfin', name: 'E2E Media Sign-in', url: jellyfin.url, token: jellyfin.token, pollIntervalS: 2 } });
  expect(jf.status()).toBe(201);
  const jellyfinId = ((await jf.json()) as { id: string }).id;
  serverIds.push(jellyfinId);
  const px = await admin.request.post('/api/servers', { data: { type: 'plex', name: 'E2E Media Plex', url: plex.url, token: plex.token, pollIntervalS: 60 } });
  expect(px.status()).toBe(201);
  const plexId = ((await px.json()) as { id: string }).id;
  serverIds.push(plexId);

  // Plays of two media users; alice's is the one she will see.
  const mine = jellyfin.startSession({ userId: ALICE.id, user: 'alice', title: 'Alice Only Movie', mediaType: 'movie' });
  const theirs = jellyfin.startSession({ userId: '1122334455667788990011223344556a', user: 'bob', title: 'Bob Only Movie', mediaType: 'movie' });
  await expect.poll(async () => (await (await admin!.request.get('/api/history?q=Only%20Movie')).json()).plays.length, { timeout: 100_000 }).toBe(2);
  jellyfin.stopSession(mine.id);
  jellyfin.stopSession(theirs.id);

  // Off by default: /login has neither.
  const visitor = await browser.newPage();
  await visitor.goto('/login');
  await expect(visitor.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await expect(visitor.getByRole('button', { name: 'Sign in with Plex' })).toHaveCount(0);
  await expect(visitor.getByRole('button', { name: 'Sign in with Jellyfin' })).toHaveCount(0);

  // The admin turns it on with the switch on the server's page (and for Plex through the API).
  await admin.goto(`/servers/${jellyfinId}`);
  const toggle = admin.getByRole('switch', { name: /Let this server’s media users sign in/ });
  await expect(toggle).not.toBeChecked();
  await toggle.check();
  await expect(admin.getByText('Media users can now sign in.')).toBeVisible();
  expect((await admin.request.patch(`/api/servers/${plexId}`, { data: { mediaUserSignIn: true } })).status()).toBe(200);

  await visitor.goto('/login');
  await expect(visitor.getByRole('button', { name: 'Sign in with Plex' })).toBeVisible();
  await visitor.getByRole('button', { name: 'Sign in with Jellyfin' }).click();
  const form = visitor.getByRole('form', { name: 'Sign in with Jellyfin' });
  await form.getByLabel('Username').fill('alice');
  await form.getByLabel('Password').fill('not-her-password');
  await form.getByRole('button', { name: 'Sign in with Jellyfin' }).click();
  await expect(visitor.getByText('Invalid username or password.')).toBeVisible();
  await form.getByLabel('Password').fill(ALICE.password);
  await form.getByRole('button', { name: 'Sign in with Jellyfin' }).click();
  await expect(visitor.getByRole('navigation', { name: 'Main' })).toBeVisible();

  await visitor.goto('/history');
  const table = visitor.getByTestId('history-table');
  await expect(table).toContainText('Alice Only Movie');
  await expect(table).not.toContainText('Bob Only Movie');
  await visitor.goto('/account');
  await expect(visitor.getByText('This account has no Marquee password')).toBeVisible();

  // Off again: her session ends.
  await admin.goto(`/servers/${jellyfinId}`);
  await admin.getByRole('switch', { name: /Let this server’s media users sign in/ }).uncheck();
  await expect(admin.getByText(/Media-user sign-in is off/)).toBeVisible();
  expect((await visitor.request.get('/api/account')).status()).toBe(401);
  await visitor.close();
});
