// Behind a reverse proxy (`npm start` with TRUST_PROXY=true, as playwright.config.ts runs it), the
// client is the address the proxy appended to X-Forwarded-For. Someone guessing the admin's password
// from one address locks only that address out of the account: the owner still signs in from
// another. And signing out ends the session itself, not only this browser's cookie.
import { randomBytes } from 'node:crypto';
import { test, expect, request as playwrightRequest, type APIRequestContext } from '@playwright/test';
import { ADMIN } from './helpers';

// Documentation-range addresses unique to this run (the sign-in limiter may outlive one run in Redis).
const run = randomBytes(1)[0]!;
const ATTACKER = `198.51.${run}.7`;
const OWNER = `198.51.${run}.8`;

async function signIn(ctx: APIRequestContext, email: string, password: string) {
  const { csrfToken } = (await (await ctx.get('/api/auth/csrf')).json()) as { csrfToken: string };
  const res = await ctx.post('/api/auth/callback/credentials', { form: { csrfToken, email, password, json: 'true' } });
  const { url } = (await res.json()) as { url: string };
  return { status: res.status(), error: new URL(url, 'http://x').searchParams.get('error') };
}

test('with TRUST_PROXY, 8 wrong passwords from one address do not stop the owner signing in from another; after sign-out the old cookie is refused', async ({ baseURL }) => {
  const attacker = await playwrightRequest.newContext({ baseURL, extraHTTPHeaders: { 'x-forwarded-for': ATTACKER } });
  for (let i = 0; i < 8; i++) {
    const r = await signIn(attacker, ADMIN.email, `Wrong-Guess-${i}!x`);
    expect(r.status).toBe(401);
    expect(r.error).toBe('CredentialsSignin'); // the generic failure, the same before and after the lock
  }
  // The attacker's address is locked out of the account: even the right password fails from there.
  expect((await signIn(attacker, ADMIN.email, ADMIN.password)).status).toBe(401);
  await attacker.dispose();

  const owner = await playwrightRequest.newContext({ baseURL, extraHTTPHeaders: { 'x-forwarded-for': OWNER } });
  expect((await signIn(owner, ADMIN.email, ADMIN.password)).status).toBe(200);
  const session = (await owner.storageState()).cookies.find((c) => c.name === 'next-auth.session-token');
  expect(session).toBeTruthy();
  expect((await owner.get('/api/account')).status()).toBe(200);

  const { csrfToken } = (await (await owner.get('/api/auth/csrf')).json()) as { csrfToken: string };
  await owner.post('/api/auth/signout', { form: { csrfToken, json: 'true' } });
  await owner.dispose();

  // A copy of the cookie taken before sign-out (a stolen one) no longer works.
  const thief = await playwrightRequest.newContext({ baseURL, extraHTTPHeaders: { 'x-forwarded-for': `198.51.${run}.9`, cookie: `next-auth.session-token=${session!.value}` } });
  const res = await thief.get('/api/account');
  expect(res.status()).toBe(401);
  await thief.dispose();
});
