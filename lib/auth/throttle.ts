// Sign-in throttling: failure counters per account and per IP in the database, so every web
// process shares them. 5 failures → 15 min lockout; each further lockout doubles (capped at 24 h).
import { db } from '../db';

export const ACCOUNT_MAX_FAILURES = 5;
/** Higher for IPs: many people share one NAT address, but a spraying attacker still gets stopped. */
export const IP_MAX_FAILURES = 20;
export const BASE_LOCKOUT_MS = 15 * 60_000;
export const MAX_LOCKOUT_MS = 24 * 3600_000;
/** Failures older than this no longer count towards the next lockout. */
export const FAILURE_WINDOW_MS = 15 * 60_000;
/** A subject with no failure for this long starts over at the base lockout. */
export const ESCALATION_RESET_MS = 24 * 3600_000;

export interface ThrottleState {
  failures: number;
  lockouts: number;
  lockedUntil: Date | null;
  lastFailAt: Date | null;
}

export function lockoutDuration(lockouts: number): number {
  return Math.min(BASE_LOCKOUT_MS * 2 ** Math.max(0, lockouts - 1), MAX_LOCKOUT_MS);
}

export function isLocked(state: Pick<ThrottleState, 'lockedUntil'> | null, now: Date): boolean {
  return !!state?.lockedUntil && state.lockedUntil > now;
}

/** The state after one more failure (pure, so the escalation rules are unit-tested). */
export function applyFailure(prev: ThrottleState | null, now: Date, maxFailures: number): ThrottleState {
  const s: ThrottleState = prev ? { ...prev } : { failures: 0, lockouts: 0, lockedUntil: null, lastFailAt: null };
  if (isLocked(s, now)) return { ...s, lastFailAt: now };
  const sinceLast = s.lastFailAt ? now.getTime() - s.lastFailAt.getTime() : Infinity;
  if (sinceLast > ESCALATION_RESET_MS) s.lockouts = 0;
  if (sinceLast > FAILURE_WINDOW_MS) s.failures = 0;
  s.failures += 1;
  s.lastFailAt = now;
  if (s.failures >= maxFailures) {
    s.lockouts += 1;
    s.failures = 0;
    s.lockedUntil = new Date(now.getTime() + lockoutDuration(s.lockouts));
  }
  return s;
}

export const accountKey = (email: string) => `account:${email.trim().toLowerCase()}`;
export const ipKey = (ip: string) => `ip:${ip}`;

function subjects(email: string, ip: string | null): { key: string; max: number }[] {
  const out = [{ key: accountKey(email), max: ACCOUNT_MAX_FAILURES }];
  if (ip) out.push({ key: ipKey(ip), max: IP_MAX_FAILURES });
  return out;
}

/** When sign-in is locked for this email or IP, the time it unlocks; otherwise null. */
export async function lockedUntil(email: string, ip: string | null, now = new Date()): Promise<Date | null> {
  const rows = await db.loginThrottle.findMany({ where: { key: { in: subjects(email, ip).map((s) => s.key) } } });
  const locked = rows.filter((r) => isLocked(r, now)).map((r) => r.lockedUntil!.getTime());
  return locked.length ? new Date(Math.max(...locked)) : null;
}

/** Counts a failed attempt against the account and the IP; returns whether either is now locked. */
export async function recordFailure(email: string, ip: string | null, now = new Date()): Promise<{ locked: boolean }> {
  let locked = false;
  for (const { key, max } of subjects(email, ip)) {
    const next = await db.$transaction(async (tx) => {
      await tx.$executeRaw`INSERT INTO "LoginThrottle" ("key", "updatedAt") VALUES (${key}, ${now}) ON CONFLICT ("key") DO NOTHING`;
      // Row lock: concurrent failures from parallel requests each count.
      const [row] = await tx.$queryRaw<ThrottleState[]>`SELECT "failures", "lockouts", "lockedUntil", "lastFailAt" FROM "LoginThrottle" WHERE "key" = ${key} FOR UPDATE`;
      const state = applyFailure(row ?? null, now, max);
      await tx.loginThrottle.update({ where: { key }, data: state });
      return state;
    });
    locked ||= isLocked(next, now);
  }
  return { locked };
}

/** A successful sign-in clears the account's pending failures (its lockout history stays). */
export async function recordSuccess(email: string): Promise<void> {
  await db.loginThrottle.updateMany({ where: { key: accountKey(email) }, data: { failures: 0 } });
}

/** Admin unlock (used by password reset). */
export async function clearAccountLock(email: string): Promise<void> {
  await db.loginThrottle.deleteMany({ where: { key: accountKey(email) } });
}
