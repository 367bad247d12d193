// Personal API tokens: shown once at creation, stored as SHA-256 (hashToken), revocable.
// `Authorization: Bearer <token>` then acts as the owner with the owner's role (lib/auth/session.ts).
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { db } from '../db';
import { AppError, notFound } from '../http/errors';
import { recordAudit } from '../audit/record';
import { hashToken } from './session';
import type { RequestMeta, UserActor } from './actor';

export const TOKEN_PREFIX = 'mq_';
export const MAX_TOKENS_PER_USER = 50;

/**
 * "all": acts as the owner everywhere; "tracker": only the tracker's event/state endpoints (the widget);
 * "tautulli": only the Tautulli-compatible API (/api/v2, lib/tautulli-api), which "all" opens too.
 */
export const TOKEN_SCOPES = ['all', 'tracker', 'tautulli'] as const;

export const createTokenSchema = z.object({
  name: z.string().trim().min(1, 'give the token a name').max(100),
  expiresAt: z.iso
    .datetime({ offset: true })
    .transform((s) => new Date(s))
    .refine((d) => d.getTime() > Date.now(), 'the expiry must be in the future')
    .nullish(),
  scopes: z.array(z.enum(TOKEN_SCOPES)).min(1).max(TOKEN_SCOPES.length).optional(),
});
export type CreateTokenInput = z.infer<typeof createTokenSchema>;

export function generateApiToken(): string {
  return TOKEN_PREFIX + randomBytes(32).toString('base64url');
}

const publicFields = { id: true, name: true, prefix: true, expiresAt: true, lastUsedAt: true, revokedAt: true, scopes: true, createdAt: true } as const;

export async function createApiToken(actor: UserActor, input: CreateTokenInput, meta: RequestMeta) {
  const active = await db.apiToken.count({ where: { userId: actor.id, revokedAt: null } });
  if (active >= MAX_TOKENS_PER_USER) {
    throw new AppError('too_many_tokens', `You can have at most ${MAX_TOKENS_PER_USER} tokens; revoke one first.`, { status: 409 });
  }
  const token = generateApiToken();
  const row = await db.apiToken.create({
    data: { userId: actor.id, name: input.name, tokenHash: hashToken(token), prefix: token.slice(0, 10), expiresAt: input.expiresAt ?? null, scopes: [...new Set(input.scopes ?? ['all'])] },
    select: publicFields,
  });
  await recordAudit({ actor, action: 'token.created', target: { type: 'api_token', id: row.id }, meta, detail: { name: row.name, expiresAt: row.expiresAt, scopes: row.scopes } });
  return { ...row, token };
}

export type ApiTokenRow = Awaited<ReturnType<typeof listApiTokens>>[number];

export async function listApiTokens(actor: UserActor) {
  return db.apiToken.findMany({ where: { userId: actor.id }, select: publicFields, orderBy: { createdAt: 'desc' } });
}

export async function revokeApiToken(actor: UserActor, id: string, meta: RequestMeta): Promise<void> {
  const res = await db.apiToken.updateMany({ where: { id, userId: actor.id, revokedAt: null }, data: { revokedAt: new Date() } });
  if (res.count === 0) {
    const exists = await db.apiToken.findFirst({ where: { id, userId: actor.id }, select: { id: true } });
    if (!exists) throw notFound('Token');
    return; // already revoked: idempotent
  }
  await recordAudit({ actor, action: 'token.revoked', target: { type: 'api_token', id }, meta });
}
