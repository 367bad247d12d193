// Media-user sign-in through the real HTTP server (next-auth's credentials callback is the entry
// point): Jellyfin users with their password (checked by the fake Jellyfin's AuthenticateByName),
// Plex users through the plex.tv PIN flow (the fake plex.tv), each becoming a viewer who sees only
// their own plays; wrong passwords count toward lockout; turning the toggle off stops it and ends
// the sessions already open.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { db } from '@/lib/db';
import { encryptString } from '@/lib/crypto/encryption';
import { NO_PASSWORD, PLEX_PIN_COOKIE } from '@/lib/auth/media-sign-in';
import { FakeJellyfin, FakePlex } from '@/tests/fakes';
import { createUser, sessionCookie, TEST_PASSWORD } from '@/tests/helpers/auth';
import { cookiesOf, startWebServer, type WebServer } from '@/tests/helpers/web-server';

const jellyfin = new FakeJellyfin();
const plex = new FakePlex();
const ALICE = { id: '0f1e2d3c4b5a69788796a5b4c3d2e1f0', name: 'alice', password: 'alice-jelly-pass' };
const BOB = { id: '1122334455667788990011223344556a', name: 'bob', password: 'bob-jelly-pass' };
const run = randomBytes(3).toString('hex');
const ids = { jellyfin: `msi-jf-${run}`, plex: `msi-plex-${run}`, off: `msi-off-${run}` };
let web: WebServer;
let base: string;
let adminCookie: string;

const runByte = randomBytes(1)[0]!;
let nextIp = 1;
const address = () => `198.19.${runByte}.${nextIp++}`;

interface SignIn {
  status: number;
  error: string | null;
  cookie: string | null;
}

/** What the login page does: CSRF token, then POST to next-auth's callback of that provider. */
async function nextAuthSignIn(provider: string, fields: Record<string, string>, ip: string, extraCookie = ''): Promise<SignIn> {
  const csrfRes = await fetch(`${base}/api/auth/csrf`, { headers: { 'x-forwarded-for': ip } });
  const { csrfToken } = (await csrfRes.json()) as { csrfToken: string };
  const cookie = [...[...cookiesOf(csrfRes)].map(([k, v]) => `${k}=${v}`), ...(extraCookie ? [extraCookie] : [])].join('; ');
  const res = await fetch(`${base}/api/auth/callback/${provider}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie, 'x-forwarded-for': ip, origin: base },
    body: new URLSearchParams({ csrfToken, ...fields, json: 'true' }),
  });
  const body = (await res.json().catch(() => ({}))) as { url?: string };
  const token = cookiesOf(res).get('next-auth.session-token');
  return { status: res.status, error: body.url ? new URL(body.url, base).searchParams.get('error') : null, cookie: token ? `next-auth.session-token=${token}` : null };
}

const mediaSignIn = (serverId: string, username: string, password: string, ip = address()) => nextAuthSignIn('media', { serverId, username, password }, ip);

async function get(path: string, cookie: string, ip = address()) {
  const res = await fetch(base + path, { headers: { cookie, 'x-forwarded-for': ip } });
  return { status: res.status, body: (await res.json().catch(() => null)) as Record<string, unknown> | null };
}

const titlesSeenBy = async (cookie: string) => {
  const res = await get('/api/history?limit=500', cookie);
  expect(res.status).toBe(200);
  return (res.body!.plays as { title: string }[]).map((p) => p.title).sort();
};

/** Audit entries, accounts and settings written lately, as one string (to look for secrets in). */
async function recentlyStored(): Promise<string> {
  const since = new Date(Date.now() - 600_000);
  const [audit, users, settings] = await Promise.all([
    db.auditLog.findMany({ where: { at: { gte: since } }, select: { detail: true, targetId: true, userAgent: true } }),
    db.user.findMany({ where: { updatedAt: { gte: since } }, omit: { passwordHash: false } }),
    db.setting.findMany({ where: { updatedAt: { gte: since } } }),
  ]);
  return JSON.stringify({ audit, users, settings });
}

async function patchServer(id: string, body: unknown) {
  return fetch(`${base}/api/servers/${id}`, { method: 'PATCH', headers: { cookie: adminCookie, origin: base, 'content-type': 'application/json', 'x-forwarded-for': address() }, body: JSON.stringify(body) });
}

async function addServer(id: string, fake: FakePlex | FakeJellyfin, mediaUserSignIn: boolean) {
  await db.mediaServer.create({
    data: { id, type: fake.type, name: `${fake.type} ${id}`, url: fake.url, tokenEnc: encryptString(fake.token, undefined, `server:${id}`), health: 'ok', mediaUserSignIn },
  });
}

beforeAll(async () => {
  await Promise.all([jellyfin.listen(), plex.listen()]);
  jellyfin.setPassword(ALICE.name, ALICE.password);
  jellyfin.setPassword(BOB.name, BOB.password);
  await addServer(ids.jellyfin, jellyfin, true);
  await addServer(ids.plex, plex, true);
  // Synced media users of the Plex server: the owner (local account 1) and two shared users.
  await db.mediaUser.createMany({
    data: [
      { serverId: ids.plex, externalId: '1', name: 'owner', isAdmin: true },
      { serverId: ids.plex, externalId: '1000', name: 'User 1000' },
      { serverId: ids.plex, externalId: '1001', name: 'User 1001' },
    ],
  });
  const play = (serverId: string, mediaUserId: string, mediaUser: string, title: string) => ({
    serverId, serverName: serverId, mediaUserId, mediaUser, title, mediaType: 'movie', source: 'import' as const,
    startedAt: new Date('2026-02-01T20:00:00Z'), lastSeenAt: new Date('2026-02-01T21:00:00Z'), stoppedAt: new Date('2026-02-01T21:00:00Z'),
  });
  await db.play.createMany({
    data: [
      play(ids.jellyfin, ALICE.id, 'alice', 'Alice JF 1'),
      play(ids.jellyfin, ALICE.id, 'alice', 'Alice JF 2'),
      play(ids.jellyfin, BOB.id, 'bob', 'Bob JF'),
      play(ids.plex, '1000', 'User 1000', 'Plex 1000'),
      play(ids.plex, '1001', 'User 1001', 'Plex 1001'),
      play(ids.plex, '1', 'owner', 'Plex owner'),
      // Same media-user id on another server: the pair, not the id, is the scope.
      play(`msi-elsewhere-${run}`, ALICE.id, 'alice', 'Elsewhere alice'),
    ],
  });
  adminCookie = await sessionCookie(await createUser({ role: 'admin' }));
  web = await startWebServer({ TRUST_PROXY: 'true', PLEX_TV_URL: plex.url, MEDIA_SERVER_TIMEOUT_MS: '3000' });
  base = web.url;
  // Compile what the tests call first (next dev compiles each route on first use; slow on a busy machine).
  for (const path of ['/api/history', '/api/auth/session', '/login', '/api/auth/plex/pins/warm-up']) await fetch(`${base}${path}`).then((r) => r.arrayBuffer());
}, 320_000);

afterAll(async () => {
  await web?.stop();
  await Promise.all([jellyfin.close(), plex.close()]);
});

describe('Jellyfin media users', () => {
  test('sign in with their Jellyfin password: a viewer scoped to their own media user, who sees only their plays', async () => {
    const res = await mediaSignIn(ids.jellyfin, 'alice', ALICE.password);
    expect(res.status).toBe(200);
    expect(res.cookie).toBeTruthy();
    expect(await titlesSeenBy(res.cookie!)).toEqual(['Alice JF 1', 'Alice JF 2']);

    const user = await db.user.findUniqueOrThrow({ where: { mediaIdentity: `${ids.jellyfin}:${ALICE.id}` }, omit: { passwordHash: false } });
    expect(user).toMatchObject({ role: 'viewer', allowedMediaUsers: [`${ids.jellyfin}:${ALICE.id}`], allowedServerIds: [], name: 'alice' });
    // Marquee keeps no password of theirs: the account's hash is unusable, the server's token was ended.
    expect(user.passwordHash).toBe(NO_PASSWORD);
    expect(jellyfin.issuedTokens.size).toBeGreaterThan(0);
    expect([...jellyfin.issuedTokens].every((t) => jellyfin.loggedOutTokens.has(t))).toBe(true);
    const attempt = jellyfin.authAttempts.at(-1)!;
    expect(attempt).toMatchObject({ username: 'alice', ok: true });
    expect(attempt.authorization).toMatch(/^MediaBrowser Client="Marquee", Device="Marquee", DeviceId="[^"]+", Version="[^"]+"$/);
    const audit = await db.auditLog.findFirstOrThrow({ where: { action: 'auth.media_sign_in', targetId: user.id } });
    expect(audit.detail).toMatchObject({ method: 'jellyfin', serverId: ids.jellyfin, mediaUserId: ALICE.id, created: true });
    expect(await recentlyStored()).not.toContain(ALICE.password);

    // The account pages work for them (no password form: they have none); the same account is used next time.
    expect((await get('/api/account', res.cookie!)).status).toBe(200);
    const page = await fetch(`${base}/account`, { headers: { cookie: res.cookie! } });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('This account has no Marquee password');
    expect(html).not.toContain('Current password');
    const again = await mediaSignIn(ids.jellyfin, 'ALICE', ALICE.password);
    expect(again.status).toBe(200);
    expect(await db.user.count({ where: { mediaIdentity: `${ids.jellyfin}:${ALICE.id}` } })).toBe(1);
    expect((await get('/api/account', again.cookie!)).body!.id).toBe(user.id);

    // Bob gets his own account and his own plays.
    const bob = await mediaSignIn(ids.jellyfin, 'bob', BOB.password);
    expect(await titlesSeenBy(bob.cookie!)).toEqual(['Bob JF']);
    // A viewer: no admin or server pages.
    expect((await get('/api/users', bob.cookie!)).status).toBe(403);
  });

  test('a wrong Jellyfin password gets the generic failure of a wrong local password, and the 5th locks that client out', async () => {
    const local = await createUser();
    const localWrong = await nextAuthSignIn('credentials', { email: local.email, password: 'Wrong-Passw0rd!!' }, address());
    const ip = address();
    const wrong = await mediaSignIn(ids.jellyfin, 'bob', 'not-bobs-password', ip);
    expect(wrong.status).toBe(localWrong.status);
    expect(wrong.error).toBe(localWrong.error);
    expect(wrong.error).toBe('CredentialsSignin');
    expect(wrong.cookie).toBeNull();
    // A user the server does not know: the same answer.
    const unknown = await mediaSignIn(ids.jellyfin, 'nobody', 'whatever', address());
    expect([unknown.status, unknown.error]).toEqual([wrong.status, wrong.error]);

    for (let i = 2; i <= 5; i++) expect((await mediaSignIn(ids.jellyfin, 'bob', `guess-${i}`, ip)).error).toBe('CredentialsSignin');
    const failures = await db.auditLog.findMany({ where: { action: 'auth.sign_in_failed', ip }, orderBy: { id: 'asc' } });
    expect(failures.map((f) => (f.detail as { reason: string }).reason)).toEqual(Array(5).fill('wrong_password'));
    expect((failures[4]!.detail as { locked?: boolean }).locked).toBe(true);
    expect(failures.slice(0, 4).every((f) => !(f.detail as { locked?: boolean }).locked)).toBe(true);

    // Locked: even the right password is refused from that client, and Jellyfin is not asked.
    const asked = jellyfin.authAttempts.length;
    const locked = await mediaSignIn(ids.jellyfin, 'bob', BOB.password, ip);
    expect([locked.status, locked.error, locked.cookie]).toEqual([wrong.status, 'CredentialsSignin', null]);
    expect(jellyfin.authAttempts.length).toBe(asked);
    // Bob, from elsewhere, still gets in (the lockout is not a weapon).
    expect((await mediaSignIn(ids.jellyfin, 'bob', BOB.password, address())).cookie).toBeTruthy();
  });
});

describe('Plex media users (plex.tv PIN flow)', () => {
  async function startPin(ip = address()) {
    const res = await fetch(`${base}/api/auth/plex/pins`, { method: 'POST', headers: { origin: base, 'x-forwarded-for': ip } });
    const body = (await res.json()) as { id: number; code: string; authUrl: string };
    const bound = cookiesOf(res).get(PLEX_PIN_COOKIE);
    return { status: res.status, body, cookie: bound ? `${PLEX_PIN_COOKIE}=${bound}` : '' };
  }

  test('a shared user links a PIN and signs in as a viewer who sees only their own Plex plays', async () => {
    const pin = await startPin();
    expect(pin.status).toBe(201);
    expect(pin.cookie).toBeTruthy();
    const created = plex.pins.get(pin.body.id)!;
    expect(created.code).toBe(pin.body.code);
    expect(pin.body.authUrl).toBe(
      `https://app.plex.tv/auth#?clientID=${encodeURIComponent(created.clientIdentifier)}&code=${encodeURIComponent(created.code)}&context%5Bdevice%5D%5Bproduct%5D=Marquee`,
    );

    // Polling before the person linked it.
    expect((await get(`/api/auth/plex/pins/${pin.body.id}`, pin.cookie)).body).toEqual({ id: pin.body.id, linked: false, expired: false });
    // Another browser (no cookie, or another PIN's cookie) cannot poll it.
    expect((await get(`/api/auth/plex/pins/${pin.body.id}`, '')).status).toBe(403);
    const other = await startPin();
    expect((await get(`/api/auth/plex/pins/${pin.body.id}`, other.cookie)).status).toBe(403);

    // Not linked yet: signing in fails.
    expect((await nextAuthSignIn('plex', { pinId: String(pin.body.id) }, address(), pin.cookie)).error).toBe('CredentialsSignin');

    plex.linkPin(pin.body.id, { id: 1000, username: 'plexuser1000' });
    const polled = await get(`/api/auth/plex/pins/${pin.body.id}`, pin.cookie);
    expect(polled.body).toEqual({ id: pin.body.id, linked: true, expired: false });
    expect(JSON.stringify(polled.body)).not.toContain('plex-user-');

    // A stolen PIN id is useless without the browser's cookie.
    const stolen = await nextAuthSignIn('plex', { pinId: String(pin.body.id) }, address(), other.cookie);
    expect([stolen.error, stolen.cookie]).toEqual(['CredentialsSignin', null]);

    const res = await nextAuthSignIn('plex', { pinId: String(pin.body.id) }, address(), pin.cookie);
    expect(res.status).toBe(200);
    expect(res.cookie).toBeTruthy();
    expect(await titlesSeenBy(res.cookie!)).toEqual(['Plex 1000']);
    const user = await db.user.findUniqueOrThrow({ where: { mediaIdentity: `${ids.plex}:1000` } });
    expect(user).toMatchObject({ role: 'viewer', allowedMediaUsers: [`${ids.plex}:1000`] });
    const audit = await db.auditLog.findFirstOrThrow({ where: { action: 'auth.media_sign_in', targetId: user.id } });
    expect(audit.detail).toMatchObject({ method: 'plex', serverId: ids.plex, mediaUserId: '1000' });
    // The plex.tv token of the person is not kept anywhere.
    expect(await recentlyStored()).not.toContain('plex-user-');
  });

  test("the server's owner signs in as its local account 1; a plex.tv account that is not a user of the server is refused", async () => {
    const owner = await startPin();
    plex.linkPin(owner.body.id, { id: 8_000_001, username: 'owner' });
    const res = await nextAuthSignIn('plex', { pinId: String(owner.body.id) }, address(), owner.cookie);
    expect(res.cookie).toBeTruthy();
    expect(await titlesSeenBy(res.cookie!)).toEqual(['Plex owner']);

    const stranger = await startPin();
    plex.linkPin(stranger.body.id, { id: 5555, username: 'stranger' });
    const refused = await nextAuthSignIn('plex', { pinId: String(stranger.body.id) }, address(), stranger.cookie);
    expect([refused.error, refused.cookie]).toEqual(['CredentialsSignin', null]);
    expect(await db.user.count({ where: { mediaIdentity: { contains: '5555' } } })).toBe(0);
  });
});

describe('the admin switch', () => {
  test('/login offers Plex and the media-server form only while a server has it on', async () => {
    const html = await (await fetch(`${base}/login`)).text();
    expect(html).toContain('Sign in with Plex');
    expect(html).toContain('Sign in with Jellyfin');
  });

  test('turning media-user sign-in off stops new sign-ins and ends the sessions of media users signed in through it', async () => {
    const off = `${ids.off}`;
    const fake = new FakeJellyfin();
    await fake.listen();
    try {
      fake.setPassword('alice', ALICE.password);
      await addServer(off, fake, false);
      // Off (the default): refused, and the server is not even asked.
      const refused = await mediaSignIn(off, 'alice', ALICE.password);
      expect([refused.error, refused.cookie]).toEqual(['CredentialsSignin', null]);
      expect(fake.authAttempts).toHaveLength(0);

      expect((await (await patchServer(off, { mediaUserSignIn: true })).json()).mediaUserSignIn).toBe(true);
      const session = await mediaSignIn(off, 'alice', ALICE.password);
      expect(session.cookie).toBeTruthy();
      expect((await get('/api/account', session.cookie!)).status).toBe(200);
      // Someone signed in through another server keeps their session.
      const elsewhere = await mediaSignIn(ids.jellyfin, 'alice', ALICE.password);

      const patched = await patchServer(off, { mediaUserSignIn: false });
      expect(patched.status).toBe(200);
      expect((await patched.json()).mediaUserSignIn).toBe(false);
      expect((await get('/api/account', session.cookie!)).status).toBe(401);
      expect((await get('/api/account', elsewhere.cookie!)).status).toBe(200);
      const again = await mediaSignIn(off, 'alice', ALICE.password);
      expect([again.error, again.cookie]).toEqual(['CredentialsSignin', null]);
      const audit = await db.auditLog.findFirstOrThrow({ where: { action: 'server.update', targetId: off }, orderBy: { id: 'desc' } });
      expect(audit.detail).toMatchObject({ mediaUserSignIn: false, mediaSessionsEnded: 1 });

      // A disabled server refuses too, even with the toggle on.
      await db.mediaServer.update({ where: { id: off }, data: { enabled: false, mediaUserSignIn: true } });
      expect((await mediaSignIn(off, 'alice', ALICE.password)).cookie).toBeNull();
    } finally {
      await fake.close();
    }
  });

  test('Plex: with the toggle off on every Plex server, no PIN is handed out and a linked PIN no longer signs in', async () => {
    const res = await fetch(`${base}/api/auth/plex/pins`, { method: 'POST', headers: { origin: base, 'x-forwarded-for': address() } });
    const pin = (await res.json()) as { id: number };
    const cookie = `${PLEX_PIN_COOKIE}=${cookiesOf(res).get(PLEX_PIN_COOKIE)}`;
    plex.linkPin(pin.id, { id: 1001, username: 'plexuser1001' });
    expect((await patchServer(ids.plex, { mediaUserSignIn: false })).status).toBe(200);
    try {
      const refused = await nextAuthSignIn('plex', { pinId: String(pin.id) }, address(), cookie);
      expect([refused.error, refused.cookie]).toEqual(['CredentialsSignin', null]);
      const none = await fetch(`${base}/api/auth/plex/pins`, { method: 'POST', headers: { origin: base, 'x-forwarded-for': address() } });
      expect(none.status).toBe(404);
      expect(((await none.json()) as { error: { code: string } }).error.code).toBe('media_sign_in_unavailable');
      const html = await (await fetch(`${base}/login`)).text();
      expect(html).not.toContain('Sign in with Plex');
      expect(html).toContain('Sign in with Jellyfin');
      // With no server allowing it, /login is the plain email form.
      expect((await patchServer(ids.jellyfin, { mediaUserSignIn: false })).status).toBe(200);
      const plain = await (await fetch(`${base}/login`)).text();
      expect(plain).not.toContain('Sign in with Plex');
      expect(plain).not.toContain('Sign in with Jellyfin');
      expect(plain).toContain('Email');
    } finally {
      await patchServer(ids.jellyfin, { mediaUserSignIn: true });
      await patchServer(ids.plex, { mediaUserSignIn: true });
    }
  });
});

describe('a local password never opens a media account', () => {
  test('the account created for a media user has no usable password', async () => {
    const user = await db.user.findFirstOrThrow({ where: { mediaIdentity: `${ids.jellyfin}:${BOB.id}` } });
    for (const password of ['', NO_PASSWORD, TEST_PASSWORD, BOB.password]) {
      expect((await nextAuthSignIn('credentials', { email: user.email, password: password || 'x' }, address())).cookie).toBeNull();
    }
  });
});
