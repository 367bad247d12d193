// The signed-in user's own account: password change (also the forced change), name and timezone.
import { db } from '../db';
import { AppError } from '../http/errors';
import { recordAudit } from '../audit/record';
import { enforceRateLimit, POLICIES } from '../rate-limit';
import { verifyPassword } from '../auth/password';
import { bumpSessionVersion } from '../auth/session';
import { checkAndHashNewPassword, rememberPassword } from '../auth/password-history';
import type { RequestMeta, UserActor } from '../auth/actor';
import { publicUserFields, revokeAllApiTokens } from './manage';

export async function getAccount(actor: UserActor) {
  return db.user.findUniqueOrThrow({ where: { id: actor.id }, select: publicUserFields });
}

/**
 * Changes the password; clears a pending forced change and ends every session (this one too: the
 * browser signs in again with the new password). With `revokeTokens`, the API tokens go as well.
 */
export async function changeOwnPassword(actor: UserActor, currentPassword: string, newPassword: string, meta: RequestMeta, opts: { revokeTokens?: boolean } = {}) {
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
  return db.$transaction(async (tx) => {
    await tx.user.update({ where: { id: actor.id }, data: { passwordHash, mustChangePassword: false } });
    await rememberPassword(actor.id, passwordHash, tx);
    const sessionVersion = await bumpSessionVersion(actor.id, tx);
    const tokensRevoked = opts.revokeTokens ? await revokeAllApiTokens(tx, actor.id) : 0;
    await recordAudit(
      { actor, action: 'account.password_changed', target: { type: 'user', id: actor.id }, meta, detail: { forced: user.mustChangePassword, sessionsEnded: true, tokensRevoked } },
      tx,
    );
    return { sessionVersion, tokensRevoked };
  });
}

export async function updateOwnAccount(actor: UserActor, input: { name?: string; timezone?: string }, meta: RequestMeta) {
  const user = await db.user.update({ where: { id: actor.id }, data: input, select: publicUserFields });
  await recordAudit({ actor, action: 'account.updated', target: { type: 'user', id: actor.id }, meta, detail: { fields: Object.keys(input) } });
  return user;
}
