// Credential checks behind the next-auth Credentials provider. Every outcome is audited, and
// every failure looks the same to the caller (no account enumeration): unknown email, wrong
// password, disabled and locked accounts all answer `invalid_credentials`.
import { db } from '../db';
import { recordAudit } from '../audit/record';
import { dummyHash, verifyPassword } from './password';
import { lockedUntil, recordFailure, recordSuccess } from './throttle';
import { verifySecondFactor } from './totp';
import type { RequestMeta } from './actor';

export interface SignedInUser {
  id: string;
  email: string;
  name: string;
  role: string;
}

export type SignInResult =
  | { ok: true; user: SignedInUser }
  | { ok: false; reason: 'invalid_credentials' }
  /** Password was right; the account has TOTP on and no (or a wrong) code was sent. */
  | { ok: false; reason: 'totp_required' | 'invalid_totp' };

export const GENERIC_SIGN_IN_ERROR = 'Invalid email or password.';

export async function verifyCredentials(
  email: string,
  password: string,
  meta: RequestMeta,
  opts: { totp?: string | null } = {},
): Promise<SignInResult> {
  const normalized = email.trim().toLowerCase();
  const lockedTill = await lockedUntil(normalized, meta.ip);
  const user = await db.user.findUnique({ where: { email: normalized }, omit: { passwordHash: false } });
  // Always hash once so timing does not reveal whether the account exists or is locked.
  const ok = user ? await verifyPassword(user.passwordHash, password) : (await verifyPassword(await dummyHash(), password), false);
  const fail = async (reason: string) => {
    const { locked } = lockedTill ? { locked: true } : await recordFailure(normalized, meta.ip);
    await recordAudit({
      actor: null,
      action: 'auth.sign_in_failed',
      target: { type: 'user', id: user?.id ?? null },
      meta,
      detail: { email: normalized, reason, ...(locked ? { locked: true } : {}), ...(lockedTill ? { lockedUntil: lockedTill.toISOString() } : {}) },
    });
  };
  if (lockedTill) {
    await fail('locked');
    return { ok: false, reason: 'invalid_credentials' };
  }
  if (!user || !ok || !user.active) {
    await fail(!user ? 'unknown_email' : !ok ? 'wrong_password' : 'inactive');
    return { ok: false, reason: 'invalid_credentials' };
  }
  let method: 'password' | 'totp' | 'recovery' = 'password';
  if (user.totpEnabled) {
    const code = opts.totp?.trim();
    if (!code) {
      await recordAudit({ actor: null, action: 'auth.totp_challenge', target: { type: 'user', id: user.id }, meta, detail: { email: normalized } });
      return { ok: false, reason: 'totp_required' };
    }
    const second = await verifySecondFactor(user.id, code);
    if (!second) {
      await fail('invalid_totp');
      return { ok: false, reason: 'invalid_totp' };
    }
    method = second;
  }
  await recordSuccess(normalized);
  await db.user.update({ where: { id: user.id }, data: { lastLoginAt: new Date() } });
  await recordAudit({
    actor: null,
    action: 'auth.sign_in',
    target: { type: 'user', id: user.id },
    meta,
    detail: { email: normalized, method },
  });
  return { ok: true, user: { id: user.id, email: user.email, name: user.name, role: user.role } };
}
