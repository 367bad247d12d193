// Sign-in through the real HTTP server (scripts/web-server.ts with TRUST_PROXY=true): next-auth's
// credentials callback with its CSRF token runs the real `authorize` (rate limit, throttling,
// password check); X-Forwarded-For names the client; cookies are parsed by the real stack.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { db } from '../../lib/db';
import { createUser, TEST_PASSWORD, type TestUser } from '../helpers/auth';
import { cookiesOf, startWebServer, type WebServer } from '../helpers/web-server';

let server: WebServer;
let base: string;

/** A documentation-range address unique to this run (the sign-in limiter may live in a shared Redis). */
const run = randomBytes(1)[0]!;
let next = 1;
const address = () => `198.18.${run}.${next++}`;

interface SignInResult {
  status: number;
  /** next-auth's answer: the URL it would send the browser to (`?error=…` on failure). */
  url: string;
  sessionCookie: string | null;
}

/** What the login form does: fetch the CSRF token, then POST the credentials to next-auth. */
async function signIn(email: string, password: string, ip: string, extra: Record<string, string> = {}): Promise<SignInResult> {
  const csrfRes = await fetch(`${base}/api/auth/csrf`, { headers: { 'x-forwarded-for': ip } });
  const { csrfToken } = (await csrfRes.json()) as { csrfToken: string };
  const csrfCookie = [...cookiesOf(csrfRes)].map(([k, v]) => `${k}=${v}`).join('; ');
  const res = await fetch(`${base}/api/auth/callback/credentials`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: csrfCookie, 'x-forwarded-for': ip, origin: base },
    body: new URLSearchParams({ csrfToken, email, password, json: 'true', ...extra }),
  });
  const body = (await res.json().catch(() => ({}))) as { url?: string };
  const token = cookiesOf(res).get('next-auth.session-token');
  return { status: res.status, url: body.url ?? '', sessionCookie: token ? `next-auth.session-token=${token}` : null };
}

const errorOf = (r: SignInResult) => new URL(r.url, base).searchParams.get('error');

async function getAccount(cookie: string, ip = address()) {
  return fetch(`${base}/api/account`, { headers: { cookie, 'x-forwarded-for': ip } });
}

beforeAll(async () => {
  server = await startWebServer({ TRUST_PROXY: 'true' });
  base = server.url;
}, 320_000);

afterAll(async () => {
  await server?.stop();
});

describe('next-auth credentials sign-in (the real authorize)', () => {
  let user: TestUser;
  beforeAll(async () => {
    user = await createUser({ role: 'staff' });
  });

  test('the right password gets a session cookie that authenticates API calls; a wrong one the generic failure', async () => {
    const ok = await signIn(user.email, TEST_PASSWORD, address());
    expect(ok.status).toBe(200);
    expect(ok.sessionCookie).toBeTruthy();
    const me = await getAccount(ok.sessionCookie!);
    expect(me.status).toBe(200);
    expect((await me.json()).email).toBe(user.email);

    const bad = await signIn(user.email, 'Wrong-Passw0rd!!', address());
    expect(bad.status).toBe(401);
    expect(bad.sessionCookie).toBeNull();
    expect(errorOf(bad)).toBe('CredentialsSignin');
    const unknown = await signIn('nobody@example.test', 'Wrong-Passw0rd!!', address());
    expect(unknown.status).toBe(bad.status);
    expect(errorOf(unknown)).toBe(errorOf(bad));
  });

  test('8 wrong passwords from one address lock that address out; the owner still signs in from another (TRUST_PROXY + X-Forwarded-For)', async () => {
    const owner = await createUser({ role: 'admin' });
    const attacker = address();
    for (let i = 0; i < 8; i++) expect((await signIn(owner.email, `Guess-${i}-Passw0rd!`, attacker)).status).toBe(401);
    // The attacker's address is locked out of this account, even with the right password.
    const lockedOut = await signIn(owner.email, TEST_PASSWORD, attacker);
    expect(lockedOut.status).toBe(401);
    expect(errorOf(lockedOut)).toBe('CredentialsSignin');
    // The owner, from elsewhere, gets in.
    const home = await signIn(owner.email, TEST_PASSWORD, address());
    expect(home.status).toBe(200);
    expect(home.sessionCookie).toBeTruthy();
    // Only 5 guesses were evaluated, each audited under the address the proxy reported.
    const failed = await db.auditLog.findMany({ where: { action: 'auth.sign_in_failed', targetId: owner.id } });
    expect(failed.filter((a) => (a.detail as { reason: string }).reason === 'wrong_password')).toHaveLength(5);
    expect(failed.every((a) => a.ip === attacker)).toBe(true);
  });

  test('the sign-in rate limit: 10 attempts a minute from one address, the 11th → rate_limited', async () => {
    const ip = address();
    for (let i = 0; i < 10; i++) expect(errorOf(await signIn(`spray-${i}@example.test`, 'Wrong-Passw0rd!!', ip))).toBe('CredentialsSignin');
    const limited = await signIn('spray-10@example.test', 'Wrong-Passw0rd!!', ip);
    expect(errorOf(limited)).toBe('rate_limited');
    // Another address is not affected.
    expect((await signIn(user.email, TEST_PASSWORD, address())).status).toBe(200);
  });

  test('a 100,000-character password is refused with a 4xx without being evaluated', async () => {
    const huge = 'Aa1!'.repeat(25_000);
    const res = await signIn(user.email, huge, address());
    expect(res.status).toBe(401);
    expect(errorOf(res)).toBe('CredentialsSignin');

    const session = await signIn(user.email, TEST_PASSWORD, address());
    const change = await fetch(`${base}/api/account/password`, {
      method: 'POST',
      headers: { cookie: session.sessionCookie!, origin: base, 'content-type': 'application/json' },
      body: JSON.stringify({ currentPassword: TEST_PASSWORD, newPassword: huge }),
    });
    expect(change.status).toBe(422);
    const body = await change.json();
    expect(body.error.code).toBe('validation_failed');
    expect(body.error.message).toContain('newPassword');
  });
});

describe('sign-out and cookies through the real server', () => {
  test('signing out ends the session for real: a copy of the cookie no longer works, nor renews', async () => {
    const user = await createUser();
    const session = await signIn(user.email, TEST_PASSWORD, address());
    const stolen = session.sessionCookie!;
    expect((await getAccount(stolen)).status).toBe(200);

    const csrfRes = await fetch(`${base}/api/auth/csrf`, { headers: { cookie: stolen } });
    const { csrfToken } = (await csrfRes.json()) as { csrfToken: string };
    const csrfCookie = [...cookiesOf(csrfRes)].map(([k, v]) => `${k}=${v}`).join('; ');
    const out = await fetch(`${base}/api/auth/signout`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `${stolen}; ${csrfCookie}`, origin: base },
      body: new URLSearchParams({ csrfToken, json: 'true' }),
    });
    expect(out.status).toBe(200);

    expect((await getAccount(stolen)).status).toBe(401);
    const renewed = await fetch(`${base}/api/auth/session`, { headers: { cookie: stolen } });
    expect(await renewed.json()).toEqual({});
    expect(cookiesOf(renewed).get('next-auth.session-token') ?? '').toBe('');
  });

  test('a malformed cookie (bad %-encoding) is no session: 401 JSON for the API, a redirect to /login for pages', async () => {
    const user = await createUser();
    const { sessionCookie } = await signIn(user.email, TEST_PASSWORD, address());
    const broken = 'next-auth.session-token=%E0%A4%A';
    const api = await fetch(`${base}/api/account`, { headers: { cookie: broken } });
    expect(api.status).toBe(401);
    expect((await api.json()).error.code).toBe('unauthorized');
    // A stray broken cookie beside a good session does not break the good one.
    const beside = await fetch(`${base}/api/account`, { headers: { cookie: `other=%E0%A4%A; ${sessionCookie}` } });
    expect(beside.status).toBe(200);
    const page = await fetch(`${base}/`, { headers: { cookie: broken }, redirect: 'manual' });
    expect([302, 303, 307]).toContain(page.status);
    expect(new URL(page.headers.get('location')!, base).pathname).toBe('/login');
  });
});
