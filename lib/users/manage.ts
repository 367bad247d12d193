// Admin user management. The last active admin can never be demoted, disabled or deleted: each such
// change takes an advisory lock and re-counts inside the transaction, so two concurrent requests
// cannot both remove "the other" admin.
import { db, type Prisma } from '../db';
import { AppError, notFound } from '../http/errors';
import { recordAudit } from '../audit/record';
import { assertCan } from '../auth/permissions';
import { bumpSessionVersion } from '../auth/session';
import { checkAndHashNewPassword, rememberPassword } from '../auth/password-history';
import { accountLockStatus, unlockAccount } from '../auth/throttle';
import { deleteTrackerDataOfUser } from '../tracker';
import type { RequestMeta, UserActor } from '../auth/actor';
import type { CreateUserInput, UpdateUserInput } from './schemas';

export const publicUserFields = {
  id: true,
  email: true,
  name: true,
  role: true,
  active: true,
  mustChangePassword: true,
  timezone: true,
  allowedServerIds: true,
  allowedMediaUsers: true,
  totpEnabled: true,
  lastLoginAt: true,
  createdAt: true,
  updatedAt: true,
} as const;

const ADMIN_LOCK = 727275;

export const lastAdminError = () =>
  new AppError('last_admin', 'This is the last active admin: make another account an active admin first.', { status: 409 });

export type PublicUser = Awaited<ReturnType<typeof listUsers>>[number];

export async function listUsers(actor: UserActor) {
  assertCan(actor, 'users:manage');
  const users = await db.user.findMany({ select: publicUserFields, orderBy: [{ role: 'asc' }, { email: 'asc' }] });
  const locks = await accountLockStatus(users.map((u) => u.email));
  return users.map((u) => ({ ...u, lock: locks.get(u.email) ?? { accountLockedUntil: null, lockedClients: 0 } }));
}

export async function getUser(actor: UserActor, id: string) {
  assertCan(actor, 'users:manage');
  const u = await db.user.findUnique({ where: { id }, select: publicUserFields });
  if (!u) throw notFound('User');
  return u;
}

export async function createUser(actor: UserActor, input: CreateUserInput, meta: RequestMeta) {
  assertCan(actor, 'users:manage');
  const passwordHash = await checkAndHashNewPassword(null, input.password);
  if (await db.user.findUnique({ where: { email: input.email }, select: { id: true } })) {
    throw new AppError('email_taken', 'An account with that email already exists.', { status: 409 });
  }
  const { password: _plain, ...fields } = input;
  return db.$transaction(async (tx) => {
    const user = await tx.user.create({
      data: { ...fields, passwordHash, mustChangePassword: true },
      select: publicUserFields,
    });
    await rememberPassword(user.id, passwordHash, tx);
    await recordAudit(
      { actor, action: 'user.created', target: { type: 'user', id: user.id }, meta, detail: { email: user.email, role: user.role } },
      tx,
    );
    return user;
  });
}

async function assertAnotherActiveAdmin(tx: Prisma.TransactionClient, excludingId: string) {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${ADMIN_LOCK})`;
  const others = await tx.user.count({ where: { role: 'admin', active: true, id: { not: excludingId } } });
  if (others === 0) throw lastAdminError();
}

export async function updateUser(actor: UserActor, id: string, input: UpdateUserInput, meta: RequestMeta) {
  assertCan(actor, 'users:manage');
  return db.$transaction(async (tx) => {
    const before = await tx.user.findUnique({ where: { id }, select: publicUserFields });
    if (!before) throw notFound('User');
    const losesAdmin = before.role === 'admin' && before.active && ((input.role && input.role !== 'admin') || input.active === false);
    if (losesAdmin) await assertAnotherActiveAdmin(tx, id);
    if (input.email && input.email !== before.email && (await tx.user.findUnique({ where: { email: input.email }, select: { id: true } }))) {
      throw new AppError('email_taken', 'An account with that email already exists.', { status: 409 });
    }
    const user = await tx.user.update({ where: { id }, data: input, select: publicUserFields });
    const changed = Object.fromEntries(
      Object.keys(input)
        .filter((k) => JSON.stringify(before[k as keyof typeof before]) !== JSON.stringify(user[k as keyof typeof user]))
        .map((k) => [k, { from: before[k as keyof typeof before], to: user[k as keyof typeof user] }]),
    );
    // Disabling, a role change (a demotion above all) and a new sign-in email end the user's
    // sessions and open live streams at once, in the same transaction as the change.
    const endsSessions = 'role' in changed || 'email' in changed || (before.active && user.active === false);
    if (endsSessions) await bumpSessionVersion(id, tx);
    await recordAudit({ actor, action: 'user.updated', target: { type: 'user', id }, meta, detail: { changed, ...(endsSessions ? { sessionsEnded: true } : {}) } }, tx);
    return user;
  });
}

export async function resetUserPassword(actor: UserActor, id: string, password: string, meta: RequestMeta, opts: { revokeTokens?: boolean } = {}) {
  assertCan(actor, 'users:manage');
  const target = await db.user.findUnique({ where: { id }, select: { id: true, email: true } });
  if (!target) throw notFound('User');
  const passwordHash = await checkAndHashNewPassword(id, password);
  await db.$transaction(async (tx) => {
    await tx.user.update({ where: { id }, data: { passwordHash, mustChangePassword: true } });
    await rememberPassword(id, passwordHash, tx);
    await bumpSessionVersion(id, tx);
    const revoked = opts.revokeTokens ? await revokeAllApiTokens(tx, id) : 0;
    await recordAudit({ actor, action: 'user.password_reset', target: { type: 'user', id }, meta, detail: { sessionsEnded: true, tokensRevoked: revoked } }, tx);
  });
  await unlockAccount(target.email);
}

/** Revokes every active API token of a user; returns how many. */
export async function revokeAllApiTokens(tx: Prisma.TransactionClient, userId: string): Promise<number> {
  const res = await tx.apiToken.updateMany({ where: { userId, revokedAt: null }, data: { revokedAt: new Date() } });
  return res.count;
}

/** Lifts every sign-in lock on the account (the account-wide one and each client's); audited. */
export async function unlockUser(actor: UserActor, id: string, meta: RequestMeta): Promise<{ cleared: number }> {
  assertCan(actor, 'users:manage');
  const target = await db.user.findUnique({ where: { id }, select: { email: true } });
  if (!target) throw notFound('User');
  const cleared = await unlockAccount(target.email);
  await recordAudit({ actor, action: 'user.unlocked', target: { type: 'user', id }, meta, detail: { email: target.email, cleared } });
  return { cleared };
}

/** Turns off a user's TOTP (lost phone): secret and recovery codes go, their sessions end; audited. */
export async function resetUserTotp(actor: UserActor, id: string, meta: RequestMeta): Promise<void> {
  assertCan(actor, 'users:manage');
  await db.$transaction(async (tx) => {
    const target = await tx.user.findUnique({ where: { id }, select: { email: true, totpEnabled: true } });
    if (!target) throw notFound('User');
    await tx.recoveryCode.deleteMany({ where: { userId: id } });
    await tx.user.update({ where: { id }, data: { totpEnabled: false, totpSecret: null } });
    await bumpSessionVersion(id, tx);
    await recordAudit({ actor, action: 'user.totp_reset', target: { type: 'user', id }, meta, detail: { email: target.email, wasEnabled: target.totpEnabled } }, tx);
  });
}

export async function deleteUser(actor: UserActor, id: string, meta: RequestMeta) {
  assertCan(actor, 'users:manage');
  await db.$transaction(async (tx) => {
    const before = await tx.user.findUnique({ where: { id }, select: { id: true, email: true, role: true, active: true } });
    if (!before) throw notFound('User');
    if (before.role === 'admin' && before.active) await assertAnotherActiveAdmin(tx, id);
    await tx.passwordHistory.deleteMany({ where: { userId: id } });
    await tx.recoveryCode.deleteMany({ where: { userId: id } });
    await deleteTrackerDataOfUser(id, tx);
    await tx.user.delete({ where: { id } });
    await recordAudit({ actor, action: 'user.deleted', target: { type: 'user', id }, meta, detail: { email: before.email, role: before.role } }, tx);
  });
}
