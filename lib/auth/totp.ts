// Optional TOTP second factor (RFC 6238, 30 s, 6 digits) with 10 single-use recovery codes.
// The secret is encrypted at rest; recovery codes are stored as SHA-256 hashes.
import { createHash, randomBytes } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';
import QRCode from 'qrcode';
import { db } from '../db';
import { decryptString, encryptString } from '../crypto/encryption';
import { AppError } from '../http/errors';
import { recordAudit } from '../audit/record';
import { enforceRateLimit, POLICIES } from '../rate-limit';
import { verifyPassword } from './password';
import type { RequestMeta, UserActor } from './actor';

export const ISSUER = 'Marquee';
export const RECOVERY_CODE_COUNT = 10;
const AAD = 'totp-secret';

export function generateTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

function totpFor(secret: string, label = 'account'): TOTP {
  return new TOTP({ issuer: ISSUER, label, algorithm: 'SHA1', digits: 6, period: 30, secret: Secret.fromBase32(secret) });
}

export function totpUri(secret: string, label: string): string {
  return totpFor(secret, label).toString();
}

/** The current code (tests and the e2e helper use it). */
export function totpCode(secret: string, now = Date.now()): string {
  return totpFor(secret).generate({ timestamp: now });
}

/** Accepts the current code and one step either side (clock drift). */
export function verifyTotpCode(secret: string, code: string, now = Date.now()): boolean {
  const token = code.replace(/\s+/g, '');
  if (!/^\d{6}$/.test(token)) return false;
  return totpFor(secret).validate({ token, timestamp: now, window: 1 }) !== null;
}

export function generateRecoveryCodes(count = RECOVERY_CODE_COUNT): string[] {
  return Array.from({ length: count }, () => {
    const hex = randomBytes(5).toString('hex');
    return `${hex.slice(0, 5)}-${hex.slice(5)}`;
  });
}

export function hashRecoveryCode(code: string): string {
  return createHash('sha256').update(code.trim().toLowerCase().replace(/[^a-z0-9]/g, '')).digest('hex');
}

async function storedSecret(userId: string): Promise<{ secret: string | null; enabled: boolean }> {
  const u = await db.user.findUnique({ where: { id: userId }, select: { totpSecret: true, totpEnabled: true } });
  if (!u) throw new AppError('not_found', 'Account not found.');
  return { secret: u.totpSecret ? decryptString(u.totpSecret, undefined, AAD) : null, enabled: u.totpEnabled };
}

export interface TotpEnrollment {
  secret: string;
  uri: string;
  qrDataUrl: string;
}

/** Step 1: a fresh secret (not yet active) with its QR code and manual key. */
export async function beginTotpEnrollment(actor: UserActor, meta: RequestMeta): Promise<TotpEnrollment> {
  const current = await storedSecret(actor.id);
  if (current.enabled) throw new AppError('totp_already_enabled', 'Two-factor authentication is already on; turn it off first.', { status: 409 });
  const secret = generateTotpSecret();
  await db.user.update({ where: { id: actor.id }, data: { totpSecret: encryptString(secret, undefined, AAD), totpEnabled: false } });
  await recordAudit({ actor, action: 'account.totp_enrollment_started', target: { type: 'user', id: actor.id }, meta });
  const uri = totpUri(secret, actor.email);
  return { secret, uri, qrDataUrl: await QRCode.toDataURL(uri, { margin: 1, width: 220 }) };
}

/** Step 2: a valid code turns TOTP on and returns the recovery codes (shown once). */
export async function confirmTotpEnrollment(actor: UserActor, code: string, meta: RequestMeta): Promise<{ recoveryCodes: string[] }> {
  const current = await storedSecret(actor.id);
  if (current.enabled) throw new AppError('totp_already_enabled', 'Two-factor authentication is already on.', { status: 409 });
  if (!current.secret) throw new AppError('totp_not_started', 'Start the set-up first.', { status: 409 });
  if (!verifyTotpCode(current.secret, code)) throw new AppError('invalid_code', 'That code is not valid. Check the time on your device and try again.', { status: 422 });
  const codes = generateRecoveryCodes();
  await db.$transaction(async (tx) => {
    await tx.recoveryCode.deleteMany({ where: { userId: actor.id } });
    await tx.recoveryCode.createMany({ data: codes.map((c) => ({ userId: actor.id, codeHash: hashRecoveryCode(c) })) });
    await tx.user.update({ where: { id: actor.id }, data: { totpEnabled: true } });
    await recordAudit({ actor, action: 'account.totp_enabled', target: { type: 'user', id: actor.id }, meta }, tx);
  });
  return { recoveryCodes: codes };
}

/** The 30-second step a valid code belongs to, or null. */
export function totpStep(secret: string, code: string, now = Date.now()): number | null {
  const token = code.replace(/\s+/g, '');
  if (!/^\d{6}$/.test(token)) return null;
  const delta = totpFor(secret).validate({ token, timestamp: now, window: 1 });
  return delta === null ? null : Math.floor(now / 30_000) + delta;
}

/**
 * Records a step as used, atomically; false when this or a later step was already used (a code
 * seen over someone's shoulder or replayed from a phishing page does not work twice).
 */
async function claimStep(userId: string, step: number): Promise<boolean> {
  const key = `totp-step:${userId}`;
  const rows = await db.$queryRaw<{ key: string }[]>`
    INSERT INTO "Setting" ("key", "value", "updatedAt") VALUES (${key}, to_jsonb(${step}::bigint), now())
    ON CONFLICT ("key") DO UPDATE SET "value" = EXCLUDED."value", "updatedAt" = now()
    WHERE ("Setting"."value" #>> '{}')::bigint < ${step}::bigint
    RETURNING "key"`;
  return rows.length === 1;
}

/** Checks a TOTP code (each code once) or consumes a recovery code (each works once). */
export async function verifySecondFactor(userId: string, code: string): Promise<'totp' | 'recovery' | null> {
  const { secret, enabled } = await storedSecret(userId);
  if (!enabled || !secret) return null;
  const step = totpStep(secret, code);
  if (step !== null) return (await claimStep(userId, step)) ? 'totp' : null;
  const used = await db.recoveryCode.updateMany({
    where: { userId, codeHash: hashRecoveryCode(code), usedAt: null },
    data: { usedAt: new Date() },
  });
  return used.count === 1 ? 'recovery' : null;
}

export async function isTotpEnabled(userId: string): Promise<boolean> {
  const u = await db.user.findUnique({ where: { id: userId }, select: { totpEnabled: true } });
  return !!u?.totpEnabled;
}

export async function remainingRecoveryCodes(userId: string): Promise<number> {
  return db.recoveryCode.count({ where: { userId, usedAt: null } });
}

/** Turning TOTP off needs the password and a current code (or a recovery code). */
export async function disableTotp(actor: UserActor, password: string, code: string, meta: RequestMeta): Promise<void> {
  // The same per-user budget as a password change: both tell whether a guessed password is right.
  await enforceRateLimit(`user:${actor.id}`, POLICIES.passwordCheck);
  const user = await db.user.findUnique({ where: { id: actor.id }, omit: { passwordHash: false } });
  if (!user || !(await verifyPassword(user.passwordHash, password))) {
    await recordAudit({ actor, action: 'account.totp_disable_failed', target: { type: 'user', id: actor.id }, meta, detail: { reason: 'invalid_password' } });
    throw new AppError('invalid_password', 'Your current password is not correct.', { status: 422 });
  }
  if (!user.totpEnabled) throw new AppError('totp_not_enabled', 'Two-factor authentication is not on.', { status: 409 });
  if (!(await verifySecondFactor(actor.id, code))) {
    await recordAudit({ actor, action: 'account.totp_disable_failed', target: { type: 'user', id: actor.id }, meta, detail: { reason: 'invalid_code' } });
    throw new AppError('invalid_code', 'That code is not valid.', { status: 422 });
  }
  await db.$transaction(async (tx) => {
    await tx.recoveryCode.deleteMany({ where: { userId: actor.id } });
    await tx.user.update({ where: { id: actor.id }, data: { totpEnabled: false, totpSecret: null } });
    await recordAudit({ actor, action: 'account.totp_disabled', target: { type: 'user', id: actor.id }, meta }, tx);
  });
}
