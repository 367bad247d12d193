// Credential checks behind the next-auth Credentials provider. Every outcome is audited, and
// every failure looks the same to the caller (no account enumeration).
import { db } from '../db';
import { recordAudit } from '../audit/record';
import { dummyHash, verifyPassword } from './password';
import type { RequestMeta } from './actor';

export interface SignedInUser {
  id: string;
  email: string;
  name: string;
  role: string;
}

export type SignInResult = { ok: true; user: SignedInUser } | { ok: false; reason: 'invalid_credentials' };

export async function verifyCredentials(email: string, password: string, meta: RequestMeta): Promise<SignInResult> {
  const normalized = email.trim().toLowerCase();
  const user = await db.user.findUnique({ where: { email: normalized }, omit: { passwordHash: false } });
  const ok = user ? await verifyPassword(user.passwordHash, password) : (await verifyPassword(await dummyHash(), password), false);
  if (!user || !ok || !user.active) {
    await recordAudit({
      actor: null,
      action: 'auth.sign_in_failed',
      target: { type: 'user', id: user?.id ?? null },
      meta,
      detail: { email: normalized, reason: !user ? 'unknown_email' : !ok ? 'wrong_password' : 'inactive' },
    });
    return { ok: false, reason: 'invalid_credentials' };
  }
  await db.user.update({ where: { id: user.id }, data: { lastLoginAt: new Date() } });
  await recordAudit({
    actor: null,
    action: 'auth.sign_in',
    target: { type: 'user', id: user.id },
    meta,
    detail: { email: normalized },
  });
  return { ok: true, user: { id: user.id, email: user.email, name: user.name, role: user.role } };
}
