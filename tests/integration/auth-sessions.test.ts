// Sessions end when they should: sign-out, a password change, an admin reset,
// disabling and demotion refuse every session issued before them (and end open live streams);
// sensitive actions need a sign-in within the last 10 minutes (403 reauth_required, then
// POST /api/account/reauth); a password change can revoke the API tokens; an admin can reset TOTP.
import { afterAll, describe, expect, test } from 'vitest';
import { decode } from 'next-auth/jwt';
import { db } from '../../lib/db';
import { authSecret } from '../../lib/secrets';
import { authOptions } from '../../lib/auth/options';
import { totpCode } from '../../lib/auth/totp';
import { verifyCredentials } from '../../lib/auth/sign-in';
import { closeLiveBus } from '../../lib/servers';
import { GET as getAccount } from '../../app/api/account/route';
import { POST as changePassword } from '../../app/api/account/password/route';
import { POST as reauth } from '../../app/api/account/reauth/route';
import { POST as totpBegin, PUT as totpConfirm, DELETE as totpDisable } from '../../app/api/account/totp/route';
import { GET as listTokens, POST as createToken } from '../../app/api/tokens/route';
import { PATCH as patchUser } from '../../app/api/users/[id]/route';
import { POST as resetPassword } from '../../app/api/users/[id]/password/route';
import { DELETE as resetTotp } from '../../app/api/users/[id]/totp/route';
import { GET as events } from '../../app/api/events/route';
import { apiToken, authHeaders, createUser, req, sessionCookie, TEST_PASSWORD, type TestUser } from '../helpers/auth';

const noCtx = { params: Promise.resolve({}) } as never;
const idCtx = (id: string) => ({ params: Promise.resolve({ id }) }) as never;
const NEW_PASSWORD = 'Fresh-Lantern-Quay-58!';
/** Sensitive actions need a sign-in within the last 10 minutes. */
const TEN_MIN = 10 * 60_000;
const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000);

type Handler = (r: Request, c: never) => Promise<Response> | Response;
async function call(handler: Handler, path: string, headers: Record<string, string>, body?: unknown, method = 'POST', ctx = noCtx) {
  return handler(req(path, { method, headers: { ...headers, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) }), ctx);
}
/** The headers of a browser holding `cookie` (same-origin). */
const browser = (cookie: string) => ({ cookie, origin: 'http://localhost:3000', host: 'localhost:3000', 'sec-fetch-site': 'same-origin' });
const accountStatus = async (cookie: string) => (await getAccount(req('/api/account', { headers: browser(cookie) }), noCtx)).status;

afterAll(async () => {
  await closeLiveBus();
});

describe('every revoking event ends the sessions issued before it', () => {
  test('sign-out (next-auth signOut event) ends the JWT, not only the cookie in this browser', async () => {
    const user = await createUser();
    const cookie = await sessionCookie(user);
    expect(await accountStatus(cookie)).toBe(200);
    const token = await decode({ token: cookie.split('=')[1], secret: authSecret() });
    await authOptions().events!.signOut!({ token: token!, session: undefined as never });
    expect(await accountStatus(cookie)).toBe(401);
    expect(await accountStatus(await sessionCookie(user))).toBe(200); // signing in again works
    expect(await db.auditLog.count({ where: { action: 'auth.sign_out', targetId: user.id } })).toBe(1);
  });

  test('a password change ends every earlier session (and next-auth will not renew one)', async () => {
    const user = await createUser();
    const old = await sessionCookie(user);
    const res = await call(changePassword, '/api/account/password', await authHeaders(user), { currentPassword: TEST_PASSWORD, newPassword: NEW_PASSWORD });
    expect(res.status).toBe(200);
    expect(await accountStatus(old)).toBe(401);
    // next-auth's jwt callback (run by GET /api/auth/session to renew the cookie) refuses it too.
    const token = await decode({ token: old.split('=')[1], secret: authSecret() });
    await expect(authOptions().callbacks!.jwt!({ token: token!, user: undefined as never, account: null })).rejects.toThrow('session_revoked');
  });

  test('an admin password reset ends the user’s sessions', async () => {
    const admin = await createUser({ role: 'admin' });
    const user = await createUser();
    const old = await sessionCookie(user);
    const res = await call(resetPassword, `/api/users/${user.id}/password`, await authHeaders(admin), { password: NEW_PASSWORD }, 'POST', idCtx(user.id));
    expect(res.status).toBe(200);
    expect(await accountStatus(old)).toBe(401);
  });

  test('disabling ends the sessions for good: re-enabling does not bring the old ones back', async () => {
    const admin = await createUser({ role: 'admin' });
    const user = await createUser();
    const old = await sessionCookie(user);
    const adminHeaders = await authHeaders(admin);
    expect((await call(patchUser, `/api/users/${user.id}`, adminHeaders, { active: false }, 'PATCH', idCtx(user.id))).status).toBe(200);
    expect(await accountStatus(old)).toBe(401);
    expect((await call(patchUser, `/api/users/${user.id}`, adminHeaders, { active: true }, 'PATCH', idCtx(user.id))).status).toBe(200);
    expect(await accountStatus(old)).toBe(401);
    expect(await accountStatus(await sessionCookie(user))).toBe(200);
  });

  test('a demotion ends the sessions: the old cookie does not carry on under the new role', async () => {
    const admin = await createUser({ role: 'admin' });
    const user = await createUser({ role: 'staff' });
    const old = await sessionCookie(user);
    const res = await call(patchUser, `/api/users/${user.id}`, await authHeaders(admin), { role: 'viewer' }, 'PATCH', idCtx(user.id));
    expect(res.status).toBe(200);
    expect((await res.json()).role).toBe('viewer');
    expect(await accountStatus(old)).toBe(401);
    const detail = (await db.auditLog.findFirstOrThrow({ where: { action: 'user.updated', targetId: user.id } })).detail as { sessionsEnded?: boolean };
    expect(detail.sessionsEnded).toBe(true);
    // A harmless change (time zone) does not sign anyone out.
    const current = await sessionCookie(user);
    await call(patchUser, `/api/users/${user.id}`, await authHeaders(admin), { timezone: 'Europe/Paris' }, 'PATCH', idCtx(user.id));
    expect(await accountStatus(current)).toBe(200);
  });

  test('an open live stream (SSE) ends once the session is revoked', async () => {
    const admin = await createUser({ role: 'admin' });
    const other = await createUser({ role: 'admin' });
    const res = await events(req('/api/events', { headers: await authHeaders(admin) }), noCtx);
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toContain('retry:');
    await call(patchUser, `/api/users/${admin.id}`, await authHeaders(other), { role: 'staff' }, 'PATCH', idCtx(admin.id));
    // Drain until the server closes the stream (it re-checks the session every few seconds).
    const ended = (async () => {
      for (;;) if ((await reader.read()).done) return true;
    })();
    const timeout = new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 20_000));
    const closed = await Promise.race([ended, timeout]);
    if (!closed) await reader.cancel();
    expect(closed, 'the stream should end after the demotion').toBe(true);
  }, 30_000);
});

describe('sensitive actions need a sign-in within the last 10 minutes', () => {
  async function expectReauth(res: Response) {
    expect(res.status).toBe(403);
    expect((await res.json()).error.code).toBe('reauth_required');
  }

  test('token creation, TOTP enrol/confirm/disable, password change and admin credential changes → 403 reauth_required after 10 minutes', async () => {
    const user = await createUser();
    const admin = await createUser({ role: 'admin' });
    const stale = await authHeaders(user, {}, { authTime: minutesAgo(11) });
    const staleAdmin = await authHeaders(admin, {}, { authTime: minutesAgo(11) });
    await expectReauth(await call(createToken, '/api/tokens', stale, { name: 'x' }));
    await expectReauth(await call(totpBegin, '/api/account/totp', stale, {}));
    await expectReauth(await call(totpConfirm, '/api/account/totp', stale, { code: '123456' }, 'PUT'));
    await expectReauth(await call(totpDisable, '/api/account/totp', stale, { password: TEST_PASSWORD, code: '123456' }, 'DELETE'));
    await expectReauth(await call(changePassword, '/api/account/password', stale, { currentPassword: TEST_PASSWORD, newPassword: NEW_PASSWORD }));
    await expectReauth(await call(resetPassword, `/api/users/${user.id}/password`, staleAdmin, { password: NEW_PASSWORD }, 'POST', idCtx(user.id)));
    await expectReauth(await call(resetTotp, `/api/users/${user.id}/totp`, staleAdmin, undefined, 'DELETE', idCtx(user.id)));
    await expectReauth(await call(patchUser, `/api/users/${user.id}`, staleAdmin, { email: 'moved@example.test' }, 'PATCH', idCtx(user.id)));
    // A session without any sign-in time (issued before this rule) counts as old.
    await expectReauth(await call(createToken, '/api/tokens', await authHeaders(user, {}, { authTime: null }), { name: 'x' }));
    // Non-sensitive actions do not ask.
    expect((await listTokens(req('/api/tokens', { headers: stale }), noCtx)).status).toBe(200);
    // 9 minutes is recent enough.
    expect((await call(createToken, '/api/tokens', await authHeaders(user, {}, { authTime: minutesAgo(9) }), { name: 'recent' })).status).toBe(201);
    expect(TEN_MIN).toBe(600_000);
  });

  test('an API token cannot mint tokens or change credentials, however fresh', async () => {
    const user = await createUser();
    const bearer = { authorization: `Bearer ${await apiToken(user)}` };
    await expectReauth(await call(createToken, '/api/tokens', bearer, { name: 'x' }));
    await expectReauth(await call(changePassword, '/api/account/password', bearer, { currentPassword: TEST_PASSWORD, newPassword: NEW_PASSWORD }));
  });

  test('POST /api/account/reauth with the password refreshes the sign-in time; a wrong one is refused and audited', async () => {
    const user = await createUser();
    const staleCookie = await sessionCookie(user, { authTime: minutesAgo(30) });
    const wrong = await call(reauth, '/api/account/reauth', browser(staleCookie), { password: 'not-my-password' });
    expect(wrong.status).toBe(422);
    expect((await wrong.json()).error.code).toBe('invalid_password');
    expect(await db.auditLog.count({ where: { action: 'account.reauth_failed', actorId: user.id } })).toBe(1);

    const ok = await call(reauth, '/api/account/reauth', browser(staleCookie), { password: TEST_PASSWORD });
    expect(ok.status).toBe(200);
    const setCookie = ok.headers.get('set-cookie')!;
    expect(setCookie).toMatch(/^next-auth\.session-token=[^;]+; Path=\/; HttpOnly; SameSite=Lax/);
    const fresh = setCookie.split(';')[0]!;
    const created = await call(createToken, '/api/tokens', browser(fresh), { name: 'after reauth' });
    expect(created.status).toBe(201);
    expect(await db.auditLog.count({ where: { action: 'account.reauthenticated', actorId: user.id } })).toBe(1);
    // The refreshed cookie is still the same session: a password change ends it like any other.
    expect(await accountStatus(fresh)).toBe(200);
  });

  test('with TOTP on, re-authentication also needs a code', async () => {
    const user = await createUser();
    const headers = await authHeaders(user);
    const { secret } = await (await call(totpBegin, '/api/account/totp', headers, {})).json();
    expect((await call(totpConfirm, '/api/account/totp', headers, { code: totpCode(secret) }, 'PUT')).status).toBe(200);
    const stale = await sessionCookie(user, { authTime: minutesAgo(30) });
    const noCode = await call(reauth, '/api/account/reauth', browser(stale), { password: TEST_PASSWORD });
    expect(noCode.status).toBe(422);
    expect((await noCode.json()).error.code).toBe('totp_required');
    const withCode = await call(reauth, '/api/account/reauth', browser(stale), { password: TEST_PASSWORD, totp: totpCode(secret, Date.now() + 30_000) });
    expect(withCode.status).toBe(200);
  });
});

describe('API tokens and a password change', () => {
  async function tokenWorks(token: string) {
    return (await listTokens(req('/api/tokens', { headers: { authorization: `Bearer ${token}` } }), noCtx)).status === 200;
  }

  test('revokeTokens: true revokes every API token with the change (audited); without it they are kept', async () => {
    const keeper = await createUser();
    const kept = await apiToken(keeper);
    await call(changePassword, '/api/account/password', await authHeaders(keeper), { currentPassword: TEST_PASSWORD, newPassword: NEW_PASSWORD });
    expect(await tokenWorks(kept)).toBe(true);

    const user = await createUser();
    const t1 = await apiToken(user, 'one');
    const t2 = await apiToken(user, 'two');
    const res = await call(changePassword, '/api/account/password', await authHeaders(user), { currentPassword: TEST_PASSWORD, newPassword: NEW_PASSWORD, revokeTokens: true });
    expect(res.status).toBe(200);
    expect((await res.json()).tokensRevoked).toBe(2);
    expect(await tokenWorks(t1)).toBe(false);
    expect(await tokenWorks(t2)).toBe(false);
    const audit = await db.auditLog.findFirstOrThrow({ where: { action: 'account.password_changed', actorId: user.id } });
    expect(audit.detail).toMatchObject({ tokensRevoked: 2, sessionsEnded: true });
  });
});

describe('admin TOTP reset', () => {
  async function enrol(user: TestUser): Promise<string> {
    const headers = await authHeaders(user);
    const { secret } = await (await call(totpBegin, '/api/account/totp', headers, {})).json();
    expect((await call(totpConfirm, '/api/account/totp', headers, { code: totpCode(secret) }, 'PUT')).status).toBe(200);
    return secret;
  }

  test('DELETE /api/users/{id}/totp turns the second factor off, drops the recovery codes, ends sessions, audited; admins only', async () => {
    const admin = await createUser({ role: 'admin' });
    const user = await createUser();
    await enrol(user);
    const meta = { ip: '203.0.113.77', userAgent: 'vitest' };
    expect(await verifyCredentials(user.email, TEST_PASSWORD, meta)).toEqual({ ok: false, reason: 'totp_required' });
    const old = await sessionCookie(user);

    const staff = await createUser({ role: 'staff' });
    expect((await call(resetTotp, `/api/users/${user.id}/totp`, await authHeaders(staff), undefined, 'DELETE', idCtx(user.id))).status).toBe(403);

    const res = await call(resetTotp, `/api/users/${user.id}/totp`, await authHeaders(admin), undefined, 'DELETE', idCtx(user.id));
    expect(res.status).toBe(204);
    const row = await db.user.findUniqueOrThrow({ where: { id: user.id }, omit: { totpSecret: false } });
    expect(row.totpEnabled).toBe(false);
    expect(row.totpSecret).toBeNull();
    expect(await db.recoveryCode.count({ where: { userId: user.id } })).toBe(0);
    expect((await verifyCredentials(user.email, TEST_PASSWORD, meta)).ok).toBe(true);
    expect(await accountStatus(old)).toBe(401);
    const audit = await db.auditLog.findFirstOrThrow({ where: { action: 'user.totp_reset', targetId: user.id } });
    expect(audit).toMatchObject({ actorId: admin.id });
    expect(audit.detail).toMatchObject({ wasEnabled: true });
  });
});
