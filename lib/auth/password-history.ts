// Password reuse: the last PASSWORD_HISTORY_SIZE hashes of a user cannot be chosen again.
import { db, type Prisma } from '../db';
import { AppError } from '../http/errors';
import { hashPassword, verifyPassword } from './password';
import { passwordProblems } from './password-policy';

export const PASSWORD_HISTORY_SIZE = 5;

type Tx = Prisma.TransactionClient | typeof db;

/** Throws 422 `weak_password` with what to fix, or `password_reused`. Returns the new hash. */
export async function checkAndHashNewPassword(userId: string | null, password: string): Promise<string> {
  const problems = passwordProblems(password);
  if (problems.length) {
    throw new AppError('weak_password', `Password: ${problems.join(', ')}.`, { status: 422, details: problems });
  }
  if (userId && (await isRecentlyUsed(userId, password))) {
    throw new AppError('password_reused', `Choose a password you have not used for your last ${PASSWORD_HISTORY_SIZE} passwords.`, { status: 422 });
  }
  return hashPassword(password);
}

export async function isRecentlyUsed(userId: string, password: string): Promise<boolean> {
  const rows = await db.passwordHistory.findMany({
    where: { userId },
    orderBy: { id: 'desc' },
    take: PASSWORD_HISTORY_SIZE,
    select: { passwordHash: true },
  });
  for (const r of rows) if (await verifyPassword(r.passwordHash, password)) return true;
  return false;
}

/** Remembers a hash that just became the user's password and forgets older ones. */
export async function rememberPassword(userId: string, passwordHash: string, tx: Tx = db): Promise<void> {
  await tx.passwordHistory.create({ data: { userId, passwordHash } });
  const keep = await tx.passwordHistory.findMany({ where: { userId }, orderBy: { id: 'desc' }, take: PASSWORD_HISTORY_SIZE, select: { id: true } });
  await tx.passwordHistory.deleteMany({ where: { userId, id: { notIn: keep.map((k) => k.id) } } });
}
