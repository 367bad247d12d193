// The signed-in user's own account: password change (also the forced change), name and timezone.
import { db } from '../db';
import { AppError } from '../http/errors';
import { recordAudit } from '../audit/record';
import { enforceRateLimit, POLICIES } from '../rate-limit';
import { verifyPassword } from '../auth/password';
import { bumpSessionVersion } from '../auth/session';
import { checkAndHashNewPassword, rememberPassword } from '../auth/password-history';
import type { RequestMeta, UserActor } from '../auth/actor';
import { publicUserFields } from './manage';

export async function getAccount(actor: UserActor) {
  return db.user.findUniqueOrThrow({ where: { id: actor.id }, select: publicUserFields });
}

/** Changes the password; clears a pending forced change and signs out other sessions. */
export async function changeOwnPassword(actor: UserActor, currentPassword: string, newPassword: string, meta: RequestMeta) {
  // Sign-in is throttled; without this a stolen session could guess the password here unhindered.
  await enforceRateLimit(`user:${actor.id}`, POLICIES.passwordCheck);
  const user = await db.user.findUniqueOrThrow({ where: { id: actor.id }, omit: { passwordHash: false } });
  if (!(await verifyPassword(user.passwordHash, currentPassword))) {
    await recordAudit({ actor, action: 'account.password_change_failed', target: { type: 'user', id: actor.id }, meta });
    throw new AppError('invalid_password', 'Your current password is not correct.', { status: 422 });
  }
  if (await verifyPassword(user.passwordHash, newPassword)) {
    throw new AppError('password_reused', 'Choose a password different from your current one.', { status: 422 });
  }
  const passwordHash = await checkAndHashNewPassword(actor.id, newPassword);
  await db.$transaction(async (tx) => {
    await tx.user.update({ where: { id: actor.id }, data: { passwordHash, mustChangePassword: false } });
    await rememberPassword(actor.id, passwordHash, tx);
    await recordAudit({ actor, action: 'account.password_changed', target: { type: 'user', id: actor.id }, meta, detail: { forced: user.mustChangePassword } }, tx);
  });
  return { sessionVersion: await bumpSessionVersion(actor.id) };
}

export async function updateOwnAccount(actor: UserActor, input: { name?: string; timezone?: string }, meta: RequestMeta) {
  const user = await db.user.update({ where: { id: actor.id }, data: input, select: publicUserFields });
  await recordAudit({ actor, action: 'account.updated', target: { type: 'user', id: actor.id }, meta, detail: { fields: Object.keys(input) } });
  return user;
}
