// Sign-in throttling, in the database so every web process shares it. Three kinds of subject:
// - the (account, client) pair: 5 failures → 15 min lockout of that client for that account, each
//   further lockout doubling (capped at 24 h). A stranger guessing a password locks out only
//   themselves; the owner signing in from elsewhere is not affected (lockout is not a weapon).
// - the client (IP) alone: 20 failures across any accounts → that client is locked (password spraying).
// - the account as a whole: locked only once failures come from many clients (10 within an hour),
//   i.e. a distributed attack; an admin can lift it (unlockAccount).
// Concurrency: an attempt is reserved (counted as a failure) atomically under a row lock *before*
// the slow password hash, and released when the password proves right, so parallel guesses cannot
// all read "not locked yet" and slip past the counter.
import { db, type Prisma } from '../db';

export const CLIENT_MAX_FAILURES = 5;
/** Higher for a bare IP: many people share one NAT address, but a spraying attacker still gets stopped. */
export const IP_MAX_FAILURES = 20;
/** Distinct clients failing against one account within ACCOUNT_WIDE_WINDOW_MS before the whole account locks. */
export const ACCOUNT_WIDE_CLIENTS = 10;
export const ACCOUNT_WIDE_WINDOW_MS = 3600_000;
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

type Tx = Prisma.TransactionClient;

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

const normalize = (email: string) => email.trim().toLowerCase();
export const accountKey = (email: string) => `account:${normalize(email)}`;
export const ipKey = (ip: string) => `ip:${ip}`;
/** Without a known address (no proxy headers), all such clients share one bucket per account. */
export const clientKey = (email: string, ip: string | null) => `pair:${normalize(email)}|${ip ?? 'unknown'}`;
const pairPrefix = (email: string) => `pair:${normalize(email)}|`;
const likeEscape = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

async function lockRows(tx: Tx, keys: string[], now: Date): Promise<Map<string, ThrottleState>> {
  const sorted = [...new Set(keys)].sort(); // one lock order everywhere: no deadlocks between attempts
  for (const key of sorted) {
    // DO UPDATE (not DO NOTHING): it row-locks an existing row too, so a concurrent prune cannot
    // delete it between this and the SELECT.
    await tx.$executeRaw`INSERT INTO "LoginThrottle" ("key", "updatedAt") VALUES (${key}, ${now}) ON CONFLICT ("key") DO UPDATE SET "updatedAt" = EXCLUDED."updatedAt"`;
  }
  const rows = await tx.$queryRaw<(ThrottleState & { key: string })[]>`
    SELECT "key", "failures", "lockouts", "lockedUntil", "lastFailAt" FROM "LoginThrottle"
    WHERE "key" = ANY(${sorted}) ORDER BY "key" FOR UPDATE`;
  return new Map(rows.map(({ key, ...s }) => [key, s]));
}

async function save(tx: Tx, key: string, s: ThrottleState): Promise<void> {
  await tx.loginThrottle.update({ where: { key }, data: { failures: s.failures, lockouts: s.lockouts, lockedUntil: s.lockedUntil, lastFailAt: s.lastFailAt } });
}

export interface Reservation {
  email: string;
  ip: string | null;
  /** Counted subjects and their state before this attempt (to undo it when the password is right). */
  before: Record<string, ThrottleState>;
  after: Record<string, ThrottleState>;
}

export type ReserveResult = { allowed: true; reservation: Reservation; lockedNow: boolean } | { allowed: false; lockedUntil: Date };

/**
 * Reserves one sign-in attempt for (email, client) before the password is checked: counted as a
 * failure at once, under row locks. Refused while the pair, the client or the whole account is locked.
 */
export async function reserveAttempt(email: string, ip: string | null, now = new Date()): Promise<ReserveResult> {
  const counted: { key: string; max: number }[] = [{ key: clientKey(email, ip), max: CLIENT_MAX_FAILURES }];
  if (ip) counted.push({ key: ipKey(ip), max: IP_MAX_FAILURES });
  const account = accountKey(email);
  return db.$transaction(async (tx) => {
    const rows = await lockRows(tx, [account, ...counted.map((c) => c.key)], now);
    const locks = [...rows.values()].filter((r) => isLocked(r, now)).map((r) => r.lockedUntil!.getTime());
    if (locks.length) {
      // Keep the escalation memory of a locked client alive while it keeps trying.
      for (const { key } of counted) if (isLocked(rows.get(key)!, now)) await save(tx, key, { ...rows.get(key)!, lastFailAt: now });
      return { allowed: false as const, lockedUntil: new Date(Math.max(...locks)) };
    }
    const before: Record<string, ThrottleState> = {};
    const after: Record<string, ThrottleState> = {};
    let lockedNow = false;
    for (const { key, max } of counted) {
      before[key] = rows.get(key)!;
      after[key] = applyFailure(before[key], now, max);
      lockedNow ||= isLocked(after[key], now);
      await save(tx, key, after[key]);
    }
    return { allowed: true as const, reservation: { email: normalize(email), ip, before, after }, lockedNow };
  });
}

/** The password was right: the reserved failure did not happen. The pair's pending failures are cleared. */
export async function releaseAttempt(r: Reservation, now = new Date()): Promise<void> {
  await db.$transaction(async (tx) => {
    const rows = await lockRows(tx, Object.keys(r.before), now);
    for (const [key, cur] of rows) {
      const before = r.before[key]!;
      const lockedByUs = !isLocked(before, now) && isLocked(r.after[key]!, now) && cur.lockedUntil?.getTime() === r.after[key]!.lockedUntil?.getTime();
      if (key.startsWith('pair:')) {
        // The owner proved the password from this client: its slate is clean (lockout history stays),
        // and this attempt does not make it one of the "failing clients" of an account-wide lock.
        await save(tx, key, {
          failures: 0,
          lockedUntil: lockedByUs ? null : cur.lockedUntil,
          lockouts: lockedByUs ? before.lockouts : cur.lockouts,
          lastFailAt: before.lastFailAt,
        });
      } else if (lockedByUs) {
        await save(tx, key, { ...before, lastFailAt: cur.lastFailAt });
      } else {
        await save(tx, key, { ...cur, failures: Math.max(0, cur.failures - 1) });
      }
    }
  });
}

/**
 * After a failed (evaluated) attempt: locks the whole account when failures against it come from
 * ACCOUNT_WIDE_CLIENTS distinct clients within the window. Returns whether it is now locked.
 */
export async function checkAccountWide(email: string, now = new Date()): Promise<boolean> {
  const key = accountKey(email);
  return db.$transaction(async (tx) => {
    const row = (await lockRows(tx, [key], now)).get(key)!;
    if (isLocked(row, now)) return true;
    // Count only failures since the last account-wide lock, so its expiry is not followed by an instant relock.
    const since = new Date(Math.max(now.getTime() - ACCOUNT_WIDE_WINDOW_MS, row.lastFailAt?.getTime() ?? 0));
    const [{ n }] = await tx.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM "LoginThrottle"
      WHERE "key" LIKE ${likeEscape(pairPrefix(email)) + '%'} AND "lastFailAt" > ${since}`;
    if (n < ACCOUNT_WIDE_CLIENTS) return false;
    const quiet = row.lastFailAt ? now.getTime() - row.lastFailAt.getTime() > ESCALATION_RESET_MS : true;
    const lockouts = (quiet ? 0 : row.lockouts) + 1;
    await save(tx, key, { failures: 0, lockouts, lockedUntil: new Date(now.getTime() + lockoutDuration(lockouts)), lastFailAt: now });
    return true;
  });
}

/** When sign-in is locked for this email from this client, the time it unlocks; otherwise null. */
export async function lockedUntil(email: string, ip: string | null, now = new Date()): Promise<Date | null> {
  const keys = [accountKey(email), clientKey(email, ip), ...(ip ? [ipKey(ip)] : [])];
  const rows = await db.loginThrottle.findMany({ where: { key: { in: keys } } });
  const locked = rows.filter((r) => isLocked(r, now)).map((r) => r.lockedUntil!.getTime());
  return locked.length ? new Date(Math.max(...locked)) : null;
}

export interface AccountLockStatus {
  /** The whole account is locked (failures from many clients) until then. */
  accountLockedUntil: Date | null;
  /** How many clients are locked out of this account right now. */
  lockedClients: number;
}

/** Lock status per email (for the admin's users page). */
export async function accountLockStatus(emails: string[], now = new Date()): Promise<Map<string, AccountLockStatus>> {
  const out = new Map<string, AccountLockStatus>(emails.map((e) => [normalize(e), { accountLockedUntil: null, lockedClients: 0 }]));
  if (!emails.length) return out;
  const rows = await db.loginThrottle.findMany({ where: { lockedUntil: { gt: now }, OR: [{ key: { startsWith: 'account:' } }, { key: { startsWith: 'pair:' } }] }, select: { key: true, lockedUntil: true } });
  for (const r of rows) {
    const email = r.key.startsWith('account:') ? r.key.slice('account:'.length) : r.key.slice('pair:'.length, r.key.lastIndexOf('|'));
    const s = out.get(email);
    if (!s) continue;
    if (r.key.startsWith('account:')) s.accountLockedUntil = r.lockedUntil;
    else s.lockedClients += 1;
  }
  return out;
}

/** Admin unlock: lifts the account-wide lock and every client's lock on this account. Returns rows cleared. */
export async function unlockAccount(email: string): Promise<number> {
  const res = await db.loginThrottle.deleteMany({ where: { OR: [{ key: accountKey(email) }, { key: { startsWith: pairPrefix(email) } }] } });
  return res.count;
}

/**
 * Forgets subjects with nothing left to remember: no lock in force and no failure within the
 * escalation memory (a day). Without it, guesses at made-up emails would grow the table forever.
 */
export async function pruneThrottle(now = new Date()): Promise<number> {
  const horizon = new Date(now.getTime() - ESCALATION_RESET_MS);
  const res = await db.loginThrottle.deleteMany({
    where: { AND: [{ OR: [{ lockedUntil: null }, { lockedUntil: { lt: now } }] }, { OR: [{ lastFailAt: null }, { lastFailAt: { lt: horizon } }] }] },
  });
  return res.count;
}
