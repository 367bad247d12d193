import { expect, test } from 'vitest';
import { db } from '../../lib/db';
import { createFirstAdmin, isSetupNeeded, seedAdminFromEnv, setupSchema } from '../../lib/auth/setup';
import { verifyCredentials } from '../../lib/auth/sign-in';
import { getRequestActor, requireRequestActor, bumpSessionVersion } from '../../lib/auth/session';
import { AppError } from '../../lib/http/errors';
import { apiToken, createUser, req, sessionCookie, TEST_PASSWORD } from '../helpers/auth';

const meta = { ip: '203.0.113.9', userAgent: 'vitest' };

test('setup creates exactly one first admin, even under concurrent requests, and audits it', async () => {
  expect(await isSetupNeeded()).toBe(true);
  const input = (email: string) => setupSchema.parse({ email, name: 'Ada', password: 'Sturdy-Passw0rd!' });
  const results = await Promise.allSettled([createFirstAdmin(input('a@example.test'), meta), createFirstAdmin(input('b@example.test'), meta)]);
  expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
  const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
  expect(rejected.reason).toBeInstanceOf(AppError);
  expect((rejected.reason as AppError).status).toBe(409);
  expect(await db.user.count()).toBe(1);
  expect((await db.user.findFirstOrThrow()).role).toBe('admin');
  expect(await isSetupNeeded()).toBe(false);
  const audit = await db.auditLog.findMany({ where: { action: 'setup.first_admin_created' } });
  expect(audit).toHaveLength(1);
  expect(audit[0]).toMatchObject({ ip: '203.0.113.9', userAgent: 'vitest' });
  // ADMIN_EMAIL seeding never adds a second admin once one exists.
  expect(await seedAdminFromEnv()).toBe('skipped');
});

test('setup rejects weak passwords with a message that says what to fix', () => {
  const res = setupSchema.safeParse({ email: 'x@example.test', name: 'X', password: 'short' });
  expect(res.success).toBe(false);
  expect(res.error!.issues[0]!.message).toMatch(/at least 12 characters.*uppercase.*digit.*symbol/);
});

test('verifyCredentials: the same generic failure for unknown email, wrong password and disabled account; all audited', async () => {
  const user = await createUser({ role: 'staff', email: 'staff@example.test' });
  await createUser({ role: 'viewer', email: 'off@example.test', active: false });
  expect(await verifyCredentials('nobody@example.test', TEST_PASSWORD, meta)).toEqual({ ok: false, reason: 'invalid_credentials' });
  expect(await verifyCredentials('staff@example.test', 'wrong-password', meta)).toEqual({ ok: false, reason: 'invalid_credentials' });
  expect(await verifyCredentials('off@example.test', TEST_PASSWORD, meta)).toEqual({ ok: false, reason: 'invalid_credentials' });
  const ok = await verifyCredentials('  STAFF@example.test ', TEST_PASSWORD, meta);
  expect(ok).toMatchObject({ ok: true, user: { id: user.id, role: 'staff' } });
  const failures = await db.auditLog.findMany({ where: { action: 'auth.sign_in_failed' }, orderBy: { id: 'asc' } });
  expect(failures.map((f) => (f.detail as { reason: string }).reason)).toEqual(['unknown_email', 'wrong_password', 'inactive']);
  expect(await db.auditLog.count({ where: { action: 'auth.sign_in', targetId: user.id } })).toBe(1);
});

test('the request actor comes from the session cookie or a Bearer token; invalid, revoked or disabled ones are refused', async () => {
  const user = await createUser({ role: 'support', serverIds: ['s1'] });
  const cookie = await sessionCookie(user);
  const fromCookie = await getRequestActor(req('/api/x', { headers: { cookie } }));
  expect(fromCookie).toMatchObject({ id: user.id, role: 'support', serverIds: ['s1'], via: 'session' });

  const token = await apiToken(user);
  expect(await getRequestActor(req('/api/x', { headers: { authorization: `Bearer ${token}` } }))).toMatchObject({ id: user.id, via: 'token' });
  expect(await getRequestActor(req('/api/x', { headers: { authorization: 'Bearer mq_nope' } }))).toBeNull();
  expect(await getRequestActor(req('/api/x', { headers: { cookie: 'next-auth.session-token=garbage' } }))).toBeNull();
  await expect(requireRequestActor(req('/api/x'))).rejects.toMatchObject({ status: 401, code: 'unauthorized' });

  await db.apiToken.updateMany({ where: { userId: user.id }, data: { revokedAt: new Date() } });
  expect(await getRequestActor(req('/api/x', { headers: { authorization: `Bearer ${token}` } }))).toBeNull();

  // A password change (session version bump) kills earlier session cookies.
  await bumpSessionVersion(user.id);
  expect(await getRequestActor(req('/api/x', { headers: { cookie } }))).toBeNull();
  expect(await getRequestActor(req('/api/x', { headers: { cookie: await sessionCookie(user) } }))).not.toBeNull();

  await db.user.update({ where: { id: user.id }, data: { active: false } });
  expect(await getRequestActor(req('/api/x', { headers: { cookie: await sessionCookie(user) } }))).toBeNull();
});

test('an account that must change its password gets 403 password_change_required everywhere else', async () => {
  const user = await createUser({ mustChangePassword: true });
  const r = req('/api/x', { headers: { cookie: await sessionCookie(user) } });
  await expect(requireRequestActor(r)).rejects.toMatchObject({ status: 403, code: 'password_change_required' });
  await expect(requireRequestActor(r, { allowPasswordChangeRequired: true })).resolves.toMatchObject({ id: user.id });
});
