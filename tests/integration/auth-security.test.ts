// Sign-in, throttling, TOTP, forced change and password policy against a real database.
import { describe, expect, test } from 'vitest';
import { db } from '../../lib/db';
import { verifyCredentials, GENERIC_SIGN_IN_ERROR } from '../../lib/auth/sign-in';
import { lockedUntil, pruneThrottle } from '../../lib/auth/throttle';
import { totpCode } from '../../lib/auth/totp';
import { GET as listUsersRoute, POST as createUserRoute } from '../../app/api/users/route';
import { POST as unlockRoute } from '../../app/api/users/[id]/unlock/route';
import { POST as resetRoute } from '../../app/api/users/[id]/password/route';
import { POST as changePasswordRoute } from '../../app/api/account/password/route';
import { POST as totpBegin, PUT as totpConfirm, DELETE as totpDisable } from '../../app/api/account/totp/route';
import { GET as tokensList } from '../../app/api/tokens/route';
import { authHeaders, createUser, req, TEST_PASSWORD } from '../helpers/auth';

const meta = { ip: '203.0.113.9', userAgent: 'vitest' };
const noCtx = { params: Promise.resolve({}) } as never;
const idCtx = (id: string) => ({ params: Promise.resolve({ id }) }) as never;

async function post(handler: (r: Request, c: never) => Promise<Response> | Response, path: string, user: { id: string }, body: unknown, method = 'POST', ctx = noCtx) {
  return handler(req(path, { method, headers: { ...(await authHeaders(user)), 'content-type': 'application/json' }, body: JSON.stringify(body) }), ctx);
}

describe('password policy at user creation, reset and change', () => {
  test('POST /api/users → 422 weak_password for a common password, telling what to fix', async () => {
    const admin = await createUser({ role: 'admin' });
    const res = await post(createUserRoute, '/api/users', admin, { email: 'new@example.test', name: 'New', role: 'viewer', password: 'Password123!' });
    expect(res.status).toBe(422);
    const body = await res.json();
    expect(body.error.code).toBe('weak_password');
    expect(body.error.message).toContain('less common');
    const short = await post(createUserRoute, '/api/users', admin, { email: 'new@example.test', name: 'New', role: 'viewer', password: 'abc' });
    expect((await short.json()).error.message).toMatch(/at least 12 characters.*uppercase/);
  });

  test('a reused password (one of the last 5) is refused on change', async () => {
    const admin = await createUser({ role: 'admin' });
    const created = await post(createUserRoute, '/api/users', admin, { email: 'reuse@example.test', name: 'Re', role: 'viewer', password: 'Temp-Start-Pass-1' });
    expect(created.status).toBe(201);
    const user = await created.json();
    const pw = ['Orbit-Kettle-Fig-11', 'Orbit-Kettle-Fig-22', 'Orbit-Kettle-Fig-33'];
    let current = 'Temp-Start-Pass-1';
    for (const next of pw) {
      const r = await post(changePasswordRoute, '/api/account/password', user, { currentPassword: current, newPassword: next });
      expect(r.status).toBe(200);
      current = next;
    }
    const reused = await post(changePasswordRoute, '/api/account/password', user, { currentPassword: current, newPassword: 'Orbit-Kettle-Fig-11' });
    expect(reused.status).toBe(422);
    expect((await reused.json()).error.code).toBe('password_reused');
    const same = await post(changePasswordRoute, '/api/account/password', user, { currentPassword: current, newPassword: current });
    expect((await same.json()).error.code).toBe('password_reused');
  });
});

// The numbers the product promises, written out (not the code's constants): 5 failures → 15 min.
const FIVE = 5;
const FIFTEEN_MIN = 15 * 60_000;

async function evaluatedFailures(email: string): Promise<number> {
  const rows = await db.auditLog.findMany({ where: { action: 'auth.sign_in_failed', detail: { path: ['email'], equals: email } } });
  return rows.filter((r) => (r.detail as { reason: string }).reason !== 'locked').length;
}

describe('throttling', () => {
  test('5 failures lock that client out of the account for 15 minutes, the lock expires, with one generic error throughout', async () => {
    const user = await createUser({ role: 'viewer' });
    for (let i = 0; i < FIVE - 1; i++) expect(await verifyCredentials(user.email, 'wrong-password', meta)).toEqual({ ok: false, reason: 'invalid_credentials' });
    expect((await verifyCredentials(user.email, TEST_PASSWORD, meta)).ok).toBe(true); // 4 failures: still allowed, and success resets
    for (let i = 0; i < FIVE; i++) await verifyCredentials(user.email, 'wrong-password', meta);
    // Locked: even the right password gets the same generic answer as an unknown account.
    const locked = await verifyCredentials(user.email, TEST_PASSWORD, meta);
    const unknown = await verifyCredentials('nobody@example.test', 'whatever', meta);
    expect(locked).toEqual({ ok: false, reason: 'invalid_credentials' });
    expect(unknown).toEqual(locked);
    expect(GENERIC_SIGN_IN_ERROR).toBe('Invalid email or password.');

    const until = await lockedUntil(user.email, meta.ip);
    expect(until!.getTime() - Date.now()).toBeGreaterThan(FIFTEEN_MIN - 60_000);
    expect(until!.getTime() - Date.now()).toBeLessThanOrEqual(FIFTEEN_MIN);
    // Expiry: move the lock into the past as 15 minutes passing would.
    await db.loginThrottle.update({ where: { key: `pair:${user.email}|${meta.ip}` }, data: { lockedUntil: new Date(Date.now() - 1000) } });
    expect((await verifyCredentials(user.email, TEST_PASSWORD, meta)).ok).toBe(true);

    const audits = await db.auditLog.findMany({ where: { action: { startsWith: 'auth.sign_in' }, targetId: user.id }, orderBy: { id: 'asc' } });
    expect(audits.some((a) => (a.detail as { reason?: string }).reason === 'locked')).toBe(true);
    expect(audits.every((a) => a.ip === meta.ip && a.userAgent === 'vitest')).toBe(true);
    const unknownAudit = await db.auditLog.findFirst({ where: { action: 'auth.sign_in_failed', detail: { path: ['email'], equals: 'nobody@example.test' } } });
    expect((unknownAudit!.detail as { reason: string }).reason).toBe('unknown_email');
  });

  test('a repeat offender is locked longer the second time (30 minutes)', async () => {
    const user = await createUser({ role: 'viewer' });
    const client = { ip: '203.0.113.31', userAgent: 'vitest' };
    const key = `pair:${user.email}|${client.ip}`;
    for (let i = 0; i < FIVE; i++) await verifyCredentials(user.email, 'wrong-password', client);
    await db.loginThrottle.update({ where: { key }, data: { lockedUntil: new Date(Date.now() - 1000) } });
    for (let i = 0; i < FIVE; i++) await verifyCredentials(user.email, 'wrong-password', client);
    const until = await lockedUntil(user.email, client.ip);
    expect(until!.getTime() - Date.now()).toBeGreaterThan(2 * FIFTEEN_MIN - 60_000);
  });

  test('failures from one client do not lock the owner out from another client', async () => {
    const user = await createUser({ role: 'admin' });
    const attacker = { ip: '198.51.100.66', userAgent: 'guesser' };
    for (let i = 0; i < 8; i++) await verifyCredentials(user.email, `guess-${i}`, attacker);
    // The attacker's client is locked out of this account, even with the right password…
    expect(await verifyCredentials(user.email, TEST_PASSWORD, attacker)).toEqual({ ok: false, reason: 'invalid_credentials' });
    // …the owner, elsewhere, is not.
    expect((await verifyCredentials(user.email, TEST_PASSWORD, { ip: '203.0.113.200', userAgent: 'owner' })).ok).toBe(true);
    expect(await evaluatedFailures(user.email)).toBe(FIVE);
  });

  test('parallel wrong attempts cannot slip past the counter: at most 5 are evaluated', async () => {
    const user = await createUser({ role: 'viewer' });
    const client = { ip: '198.51.100.90', userAgent: 'burst' };
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => verifyCredentials(user.email, `parallel-${i}`, client)));
    expect(results.every((r) => !r.ok)).toBe(true);
    expect(await evaluatedFailures(user.email)).toBe(FIVE);
    expect(await db.auditLog.count({ where: { action: 'auth.sign_in_failed', detail: { path: ['reason'], equals: 'locked' }, targetId: user.id } })).toBe(25);
  });

  test('the whole account locks only after failures from 10 different clients; an admin lifts every lock (audited)', async () => {
    const user = await createUser({ role: 'viewer' });
    const admin = await createUser({ role: 'admin' });
    const owner = { ip: '203.0.113.201', userAgent: 'owner' };
    const bot = (c: number) => ({ ip: `192.0.2.${c}`, userAgent: 'botnet' });
    for (let c = 1; c <= 8; c++) for (let i = 0; i < FIVE; i++) await verifyCredentials(user.email, 'wrong', bot(c));
    // The owner signing in is not one of the failing clients…
    expect((await verifyCredentials(user.email, TEST_PASSWORD, owner)).ok).toBe(true);
    for (let i = 0; i < FIVE; i++) await verifyCredentials(user.email, 'wrong', bot(9));
    // …so nine failing clients (locked out, each of them) still leave the owner in.
    expect((await verifyCredentials(user.email, TEST_PASSWORD, owner)).ok).toBe(true);
    await verifyCredentials(user.email, 'wrong', bot(10));
    // The tenth client: now the account itself is locked, the owner included.
    expect(await verifyCredentials(user.email, TEST_PASSWORD, owner)).toEqual({ ok: false, reason: 'invalid_credentials' });
    const accountLock = await db.loginThrottle.findUnique({ where: { key: `account:${user.email}` } });
    expect(accountLock!.lockedUntil!.getTime() - Date.now()).toBeGreaterThan(FIFTEEN_MIN - 60_000);

    const listed = await listUsersRoute(req('/api/users', { headers: await authHeaders(admin) }), noCtx);
    const row = (await listed.json()).users.find((u: { id: string }) => u.id === user.id);
    expect(row.lock.accountLockedUntil).not.toBeNull();
    expect(row.lock.lockedClients).toBe(9);

    const unlocked = await post(unlockRoute, `/api/users/${user.id}/unlock`, admin, {}, 'POST', idCtx(user.id));
    expect(unlocked.status).toBe(200);
    expect((await unlocked.json()).cleared).toBeGreaterThanOrEqual(10);
    expect((await verifyCredentials(user.email, TEST_PASSWORD, owner)).ok).toBe(true);
    expect((await verifyCredentials(user.email, TEST_PASSWORD, { ip: '192.0.2.1', userAgent: 'botnet' })).ok).toBe(true);
    const audit = await db.auditLog.findFirst({ where: { action: 'user.unlocked', targetId: user.id } });
    expect(audit).toMatchObject({ actorId: admin.id });
    // Not for other roles.
    const staff = await createUser({ role: 'staff' });
    expect((await post(unlockRoute, `/api/users/${user.id}/unlock`, staff, {}, 'POST', idCtx(user.id))).status).toBe(403);
  });

  test('aged-out throttle rows are pruned; locks in force and recent failures are kept', async () => {
    const day = 24 * 3600_000;
    const old = new Date(Date.now() - day - 60_000);
    await db.loginThrottle.createMany({
      data: [
        { key: 'pair:gone@example.test|192.0.2.200', failures: 2, lastFailAt: old },
        { key: 'pair:recent@example.test|192.0.2.200', failures: 2, lastFailAt: new Date() },
        { key: 'pair:locked@example.test|192.0.2.200', lockouts: 6, lockedUntil: new Date(Date.now() + day), lastFailAt: old },
      ],
    });
    expect(await pruneThrottle()).toBeGreaterThanOrEqual(1);
    const left = (await db.loginThrottle.findMany({ where: { key: { endsWith: '|192.0.2.200' } } })).map((r) => r.key).sort();
    expect(left).toEqual(['pair:locked@example.test|192.0.2.200', 'pair:recent@example.test|192.0.2.200']);
  });

  test('one address spraying many accounts is locked after 20 failures, other addresses are not', async () => {
    const ip = '198.51.100.77';
    for (let i = 0; i < 20; i++) await verifyCredentials(`spray${i}@example.test`, 'wrong-password', { ip, userAgent: 'spray' });
    expect(await lockedUntil('fresh@example.test', ip)).not.toBeNull();
    expect(await lockedUntil('fresh@example.test', '198.51.100.78')).toBeNull();
  });
});

describe('TOTP', () => {
  test('enrol with QR + manual key, sign in with a code, recovery codes work once, disable with password + code', async () => {
    const meta = { ip: '203.0.113.40', userAgent: 'vitest' }; // an address of its own: the throttling tests above used theirs up
    const user = await createUser({ role: 'uploader' });
    const begin = await post(totpBegin, '/api/account/totp', user, {});
    expect(begin.status).toBe(200);
    const { secret, uri, qrDataUrl } = await begin.json();
    expect(uri).toContain(secret);
    expect(qrDataUrl).toMatch(/^data:image\/png;base64,/);
    const stored = await db.user.findUnique({ where: { id: user.id }, omit: { totpSecret: false } });
    expect(stored!.totpSecret).not.toContain(secret); // encrypted at rest
    // Starting over replaces a pending secret: a state change, so it is audited.
    expect(await db.auditLog.count({ where: { actorId: user.id, action: 'account.totp_enrollment_started' } })).toBe(1);

    const bad = await post(totpConfirm, '/api/account/totp', user, { code: '000000' }, 'PUT');
    expect(bad.status).toBe(422);
    const ok = await post(totpConfirm, '/api/account/totp', user, { code: totpCode(secret) }, 'PUT');
    const { recoveryCodes } = await ok.json();
    expect(recoveryCodes).toHaveLength(10);
    expect(await db.recoveryCode.count({ where: { userId: user.id, codeHash: { in: recoveryCodes } } })).toBe(0); // hashed

    expect(await verifyCredentials(user.email, TEST_PASSWORD, meta)).toEqual({ ok: false, reason: 'totp_required' });
    expect(await verifyCredentials(user.email, TEST_PASSWORD, meta, { totp: '123456' })).toEqual({ ok: false, reason: 'invalid_totp' });
    const code = totpCode(secret);
    expect((await verifyCredentials(user.email, TEST_PASSWORD, meta, { totp: code })).ok).toBe(true);
    // The same code does not work twice (replay).
    expect(await verifyCredentials(user.email, TEST_PASSWORD, meta, { totp: code })).toEqual({ ok: false, reason: 'invalid_totp' });
    // A wrong password with a valid code is still the generic failure.
    expect(await verifyCredentials(user.email, 'nope', meta, { totp: totpCode(secret) })).toEqual({ ok: false, reason: 'invalid_credentials' });

    expect((await verifyCredentials(user.email, TEST_PASSWORD, meta, { totp: recoveryCodes[0] })).ok).toBe(true);
    expect(await verifyCredentials(user.email, TEST_PASSWORD, meta, { totp: recoveryCodes[0] })).toEqual({ ok: false, reason: 'invalid_totp' });

    const wrongPw = await post(totpDisable, '/api/account/totp', user, { password: 'nope', code: recoveryCodes[1] }, 'DELETE');
    expect(wrongPw.status).toBe(422);
    const replayed = await post(totpDisable, '/api/account/totp', user, { password: TEST_PASSWORD, code }, 'DELETE');
    expect(replayed.status).toBe(422);
    const off = await post(totpDisable, '/api/account/totp', user, { password: TEST_PASSWORD, code: recoveryCodes[1] }, 'DELETE');
    expect(off.status).toBe(204);
    expect((await verifyCredentials(user.email, TEST_PASSWORD, meta)).ok).toBe(true);
  });
});

describe('signed-in password checks', () => {
  test('password change and turning TOTP off share a per-user budget of 10 checks per 15 minutes → 429 with Retry-After; failures are audited', async () => {
    const user = await createUser({ role: 'viewer' });
    const wrongDisable = await post(totpDisable, '/api/account/totp', user, { password: 'not-my-password', code: '123456' }, 'DELETE');
    expect(wrongDisable.status).toBe(422);
    expect((await wrongDisable.json()).error.code).toBe('invalid_password');
    for (let i = 0; i < 9; i++) {
      const r = await post(changePasswordRoute, '/api/account/password', user, { currentPassword: `guess-${i}`, newPassword: 'Maple-Quartz-Drum-77' });
      expect(r.status).toBe(422);
    }
    const limited = await post(changePasswordRoute, '/api/account/password', user, { currentPassword: TEST_PASSWORD, newPassword: 'Maple-Quartz-Drum-77' });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await limited.json()).error.code).toBe('rate_limited');
    const limitedDisable = await post(totpDisable, '/api/account/totp', user, { password: TEST_PASSWORD, code: '123456' }, 'DELETE');
    expect(limitedDisable.status).toBe(429);
    const audited = await db.auditLog.findMany({ where: { actorId: user.id }, select: { action: true } });
    expect(audited.filter((a) => a.action === 'account.totp_disable_failed')).toHaveLength(1);
    expect(audited.filter((a) => a.action === 'account.password_change_failed')).toHaveLength(9);
  });
});

describe('forced password change', () => {
  test('an admin-created account can do nothing but change its password; a reset forces it again', async () => {
    const admin = await createUser({ role: 'admin' });
    const res = await post(createUserRoute, '/api/users', admin, { email: 'forced@example.test', name: 'F', role: 'staff', password: 'Temp-Start-Pass-9' });
    const user = await res.json();
    expect(user.mustChangePassword).toBe(true);

    const blocked = await tokensList(req('/api/tokens', { headers: await authHeaders(user) }), noCtx);
    expect(blocked.status).toBe(403);
    expect((await blocked.json()).error.code).toBe('password_change_required');

    const changed = await post(changePasswordRoute, '/api/account/password', user, { currentPassword: 'Temp-Start-Pass-9', newPassword: 'Maple-Quartz-Drum-58' });
    expect(changed.status).toBe(200);
    // Changing the password ends earlier sessions; a fresh one works.
    expect((await tokensList(req('/api/tokens', { headers: await authHeaders(user) }), noCtx)).status).toBe(200);

    const reset = await post(resetRoute, `/api/users/${user.id}/password`, admin, { password: 'Reset-Temp-Pass-77' }, 'POST', idCtx(user.id));
    expect(reset.status).toBe(200);
    expect((await tokensList(req('/api/tokens', { headers: await authHeaders(user) }), noCtx)).status).toBe(403);
    expect((await db.auditLog.count({ where: { action: 'user.password_reset', targetId: user.id } }))).toBe(1);
  });
});
