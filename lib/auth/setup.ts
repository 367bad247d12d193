// First run: with no user at all, /setup (or ADMIN_EMAIL + ADMIN_PASSWORD) creates the first admin.
// There is never a default admin/admin.
import { z } from 'zod';
import { db } from '../db';
import { env } from '../env';
import { AppError } from '../http/errors';
import { recordAudit } from '../audit/record';
import { hashPassword } from './password';
import { MAX_PASSWORD_LENGTH, passwordProblems } from './password-policy';
import { rememberPassword } from './password-history';
import type { RequestMeta } from './actor';

export const setupSchema = z.object({
  email: z.email('enter a valid email address').max(320).transform((e) => e.trim().toLowerCase()),
  name: z.string().trim().min(1, 'enter a name').max(100),
  // Capped before the policy runs: no policy check ever sees an oversized input.
  password: z.string().max(MAX_PASSWORD_LENGTH, `use at most ${MAX_PASSWORD_LENGTH} characters`).superRefine((pw, ctx) => {
    const problems = passwordProblems(pw);
    if (problems.length) ctx.addIssue({ code: 'custom', message: `Password: ${problems.join(', ')}.` });
  }),
});
export type SetupInput = z.infer<typeof setupSchema>;

export async function isSetupNeeded(): Promise<boolean> {
  return (await db.user.count()) === 0;
}

/** Creates the first admin; 409 once any user exists (race-safe under concurrent requests). */
export async function createFirstAdmin(input: SetupInput, meta: RequestMeta, source: 'setup' | 'env' = 'setup') {
  const passwordHash = await hashPassword(input.password);
  const user = await db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(727274)`;
    if ((await tx.user.count()) > 0) {
      throw new AppError('setup_complete', 'Marquee is already set up: sign in instead.', { status: 409 });
    }
    const created = await tx.user.create({
      data: { email: input.email, name: input.name, passwordHash, role: 'admin' },
    });
    await rememberPassword(created.id, passwordHash, tx);
    await recordAudit(
      {
        actor: null,
        action: 'setup.first_admin_created',
        target: { type: 'user', id: created.id },
        meta,
        detail: { email: created.email, source },
      },
      tx,
    );
    return created;
  });
  return user;
}

/** Seeds the first admin from ADMIN_EMAIL + ADMIN_PASSWORD when no user exists yet. */
export async function seedAdminFromEnv(): Promise<'created' | 'skipped'> {
  if (!env.ADMIN_EMAIL || !env.ADMIN_PASSWORD) return 'skipped';
  if (!(await isSetupNeeded())) return 'skipped';
  const input = setupSchema.parse({ email: env.ADMIN_EMAIL, name: 'Administrator', password: env.ADMIN_PASSWORD });
  try {
    await createFirstAdmin(input, { ip: null, userAgent: 'env' }, 'env');
    return 'created';
  } catch (err) {
    if (err instanceof AppError && err.code === 'setup_complete') return 'skipped';
    throw err;
  }
}
