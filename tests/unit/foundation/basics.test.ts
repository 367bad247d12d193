import { randomBytes } from 'node:crypto';
import { expect, test } from 'vitest';
import { workerStatus } from '../../../lib/system/heartbeat';
import { decryptString, encryptString, isEncrypted, keyId } from '../../../lib/crypto/encryption';
import { can, serverScope, allowedServerIds } from '../../../lib/auth/permissions';
import { passwordProblems } from '../../../lib/auth/password-policy';
import { toErrorResponse } from '../../../lib/http/respond';
import { AppError } from '../../../lib/http/errors';
import { z } from 'zod';
import type { UserActor } from '../../../lib/auth/actor';

const actor = (role: UserActor['role'], serverIds: string[] = []): UserActor => ({
  kind: 'user', id: 'u', email: 'e', name: 'n', role, serverIds, mediaUsers: [], timezone: 'UTC', mustChangePassword: false, via: 'session',
});

test('workerStatus: ok within 1.6 heartbeat intervals, stale after (so within 2 intervals of a stop), down after 10 minutes', () => {
  const t0 = new Date('2026-01-01T00:00:00Z');
  const at = (s: number) => new Date(t0.getTime() + s * 1000);
  expect(workerStatus(null, t0, 10)).toBe('down');
  expect(workerStatus(t0, at(16), 10)).toBe('ok');
  expect(workerStatus(t0, at(16.1), 10)).toBe('stale');
  expect(workerStatus(t0, at(19.9), 10)).toBe('stale');
  expect(workerStatus(t0, at(601), 10)).toBe('down');
});

test('encryption at rest: AES-256-GCM round-trip, key id in the ciphertext, rotation, tamper detection', () => {
  const k1 = randomBytes(32);
  const k2 = randomBytes(32);
  const sealed = encryptString('plex-token-abc', { current: k1 });
  expect(isEncrypted(sealed)).toBe(true);
  expect(sealed.split('.')[1]).toBe(keyId(k1));
  expect(sealed).not.toContain('plex-token-abc');
  expect(decryptString(sealed, { current: k1 })).toBe('plex-token-abc');
  // After rotation the old key is retired but still decrypts; new values use the new key.
  expect(decryptString(sealed, { current: k2, retired: [k1] })).toBe('plex-token-abc');
  expect(() => decryptString(sealed, { current: k2 })).toThrow(/not available/);
  const parts = sealed.split('.');
  parts[4] = Buffer.from('tampered').toString('base64url');
  expect(() => decryptString(parts.join('.'), { current: k1 })).toThrow();
  // Two encryptions of one value differ (random IV).
  expect(encryptString('x', { current: k1 })).not.toBe(encryptString('x', { current: k1 }));
});

test('permissions follow the role table and scope servers for staff/support', () => {
  expect(can(actor('admin'), 'users:manage')).toBe(true);
  expect(can(actor('staff'), 'users:manage')).toBe(false);
  expect(can(actor('staff'), 'sessions:terminate')).toBe(true);
  expect(can(actor('support'), 'sessions:terminate')).toBe(false);
  expect(can(actor('uploader'), 'videos:upload')).toBe(true);
  expect(can(actor('viewer'), 'videos:upload')).toBe(false);
  expect(can({ kind: 'system', job: 'x' }, 'users:manage')).toBe(true);
  expect(serverScope(actor('admin'))).toEqual({});
  expect(serverScope(actor('staff', ['a']))).toEqual({ id: { in: ['a'] } });
  expect(serverScope(actor('viewer', ['a']))).toEqual({ id: { in: [] } });
  expect(allowedServerIds(actor('support', ['b']))).toEqual(['b']);
});

test('password policy names each missing requirement', () => {
  expect(passwordProblems('abc')).toEqual(['use at least 12 characters', 'add an uppercase letter', 'add a digit', 'add a symbol']);
  expect(passwordProblems('Sturdy-Passw0rd!')).toEqual([]);
});

test('errors map to { error: { code, message } } with the right status, never leaking internals', async () => {
  const zodErr = z.object({ name: z.string() }).safeParse({}).error!;
  const r1 = toErrorResponse(zodErr);
  expect(r1.status).toBe(422);
  expect((await r1.json()).error).toMatchObject({ code: 'validation_failed', message: expect.stringMatching(/^name: /) });
  const r2 = toErrorResponse(new AppError('not_found', 'Server not found.'));
  expect(r2.status).toBe(404);
  expect(await r2.json()).toEqual({ error: { code: 'not_found', message: 'Server not found.' } });
  const r3 = toErrorResponse(Object.assign(new Error('dup'), { code: 'P2002' }));
  expect(r3.status).toBe(409);
  const prevError = console.error;
  console.error = () => {};
  const r4 = toErrorResponse(new Error('secret stack detail'));
  console.error = prevError;
  expect(r4.status).toBe(500);
  expect(JSON.stringify(await r4.json())).not.toContain('secret');
});
