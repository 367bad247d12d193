// Credential checks behind the next-auth Credentials provider. Every outcome is audited, and
// every failure looks the same to the caller (no account enumeration): unknown email, wrong
// password, disabled and locked accounts all answer `invalid_credentials`.
import { db } from '../db';
import { recordAudit } from '../audit/record';
import { dummyHash, verifyPassword } from './password';
import { checkAccountWide, pruneThrottle, releaseAttempt, reserveAttempt } from './throttle';
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
  // Now and then (1 in 100 attempts), forget subjects that have aged out.
  if (Math.random() < 0.01) await pruneThrottle().catch(() => {});
  // Reserve the attempt before the slow hash: parallel guesses each take a slot or are refused.
  const reserved = await reserveAttempt(normalized, meta.ip);
  const user = await db.user.findUnique({ where: { email: normalized }, omit: { passwordHash: false } });
  const audit = (reason: string, extra: Record<string, unknown> = {}) =>
    recordAudit({ actor: null, action: 'auth.sign_in_failed', target: { type: 'user', id: user?.id ?? null }, meta, detail: { email: normalized, reason, ...extra } });
  if (!reserved.allowed) {
    // Locked: the password is not even checked (the answer stays the generic one). A dummy hash
    // keeps the timing like an evaluated attempt's.
    await verifyPassword(await dummyHash(), password);
    await audit('locked', { lockedUntil: reserved.lockedUntil.toISOString() });
    return { ok: false, reason: 'invalid_credentials' };
  }
  // Always hash once so timing does not reveal whether the account exists.
  const ok = user ? await verifyPassword(user.passwordHash, password) : (await verifyPassword(await dummyHash(), password), false);
  const fail = async (reason: string) => {
    const accountLocked = await checkAccountWide(normalized);
    await audit(reason, { ...(reserved.lockedNow ? { locked: true } : {}), ...(accountLocked ? { accountLocked: true } : {}) });
  };
  if (!user || !ok || !user.active) {
    await fail(!user ? 'unknown_email' : !ok ? 'wrong_password' : 'inactive');
    return { ok: false, reason: 'invalid_credentials' };
  }
  let method: 'password' | 'totp' | 'recovery' = 'password';
  if (user.totpEnabled) {
    const code = opts.totp?.trim();
    if (!code) {
      // The password was right: not a failure. The code comes with the next attempt.
      await releaseAttempt(reserved.reservation);
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
  await releaseAttempt(reserved.reservation);
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
