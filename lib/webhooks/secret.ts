// The install's one webhook secret: every media server and *arr app authenticates with it.
// Stored AES-256-GCM encrypted in the settings table (it must be shown again in the webhook URLs,
// so it cannot be a one-way hash), created on first use, replaced by rotation. Nothing caches it:
// after a rotation the old secret fails on the very next request, in every web process.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { db } from '../db';
import { decryptString, encryptString } from '../crypto/encryption';
import { recordAudit } from '../audit/record';
import { assertCan } from '../auth/permissions';
import type { Actor, RequestMeta } from '../auth/actor';
import type { Prisma } from '@/generated/prisma/client';

const KEY = 'webhook-secret';
// Binds the ciphertext to this setting: a sealed value copied from another column does not decrypt here.
const AAD = 'marquee:webhook-secret';

interface StoredSecret {
  sealed: string;
  createdAt: string;
}

function isStoredSecret(value: unknown): value is StoredSecret {
  return typeof value === 'object' && value !== null && typeof (value as StoredSecret).sealed === 'string';
}

/** 32 random bytes, base64url: URL-safe as a query value and as a Basic-auth password (no ':'). */
export function generateWebhookSecret(): string {
  return randomBytes(32).toString('base64url');
}

function sealSecret(secret: string): Prisma.InputJsonValue {
  return { sealed: encryptString(secret, undefined, AAD), createdAt: new Date().toISOString() } satisfies StoredSecret;
}

/** The current secret, or null while none was ever created (then no webhook can authenticate). */
export async function findWebhookSecret(): Promise<string | null> {
  const row = await db.setting.findUnique({ where: { key: KEY } });
  if (!row || !isStoredSecret(row.value)) return null;
  return decryptString(row.value.sealed, undefined, AAD);
}

/**
 * The current secret, creating it on first use (audited when `by` says who caused it). Concurrent
 * first calls agree on one secret.
 */
export async function getOrCreateWebhookSecret(by?: { actor: Actor; meta?: RequestMeta }): Promise<string> {
  const existing = await findWebhookSecret();
  if (existing) return existing;
  // ON CONFLICT DO NOTHING: of two racing first requests, one insert wins and both read it back.
  const { count } = await db.setting.createMany({ data: [{ key: KEY, value: sealSecret(generateWebhookSecret()) }], skipDuplicates: true });
  if (count === 1 && by) await recordAudit({ actor: by.actor, action: 'webhooks.secret_created', target: { type: 'setting', id: KEY }, meta: by.meta });
  const created = await findWebhookSecret();
  if (!created) throw new Error('the webhook secret could not be stored');
  return created;
}

/** Replaces the secret (admin only, audited). The previous one stops working immediately. */
export async function rotateWebhookSecret(actor: Actor, meta?: RequestMeta): Promise<string> {
  assertCan(actor, 'settings:manage');
  const secret = generateWebhookSecret();
  await db.$transaction(async (tx) => {
    await tx.setting.upsert({ where: { key: KEY }, create: { key: KEY, value: sealSecret(secret) }, update: { value: sealSecret(secret) } });
    await recordAudit({ actor, action: 'webhooks.secret_rotated', target: { type: 'setting', id: KEY }, meta }, tx);
  });
  return secret;
}

/**
 * Constant-time comparison of a presented secret with the stored one. Both sides are hashed first so
 * the comparison takes the same time whatever the presented length.
 */
export function secretsMatch(presented: string, expected: string): boolean {
  const a = createHash('sha256').update(presented, 'utf8').digest();
  const b = createHash('sha256').update(expected, 'utf8').digest();
  return timingSafeEqual(a, b);
}
