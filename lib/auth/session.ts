// Resolves the actor of a request from its session cookie (next-auth JWT) or its Bearer API token.
// Free of next/* imports so route handlers, tests and scripts can all use it with a plain Request.
import { createHash } from 'node:crypto';
import { decode } from 'next-auth/jwt';
import { db } from '../db';
import { authSecret } from '../secrets';
import { AppError, unauthorized } from '../http/errors';
import type { RequestMeta, UserActor } from './actor';
import { assertSameOrigin } from '../security/csrf';
import { env } from '../env';

export const SESSION_COOKIES = ['__Secure-next-auth.session-token', 'next-auth.session-token'];

export function parseCookies(header: string | null): Map<string, string> {
  const out = new Map<string, string>();
  if (!header) return out;
  for (const part of header.split(';')) {
    const i = part.indexOf('=');
    if (i < 0) continue;
    const k = part.slice(0, i).trim();
    if (!out.has(k)) out.set(k, decodeURIComponent(part.slice(i + 1).trim()));
  }
  return out;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

const userSelect = {
  id: true,
  email: true,
  name: true,
  role: true,
  active: true,
  allowedServerIds: true,
  allowedMediaUsers: true,
  timezone: true,
  mustChangePassword: true,
} as const;

type UserRow = { [K in keyof typeof userSelect]: unknown } & {
  id: string;
  email: string;
  name: string;
  role: UserActor['role'];
  active: boolean;
  allowedServerIds: string[];
  allowedMediaUsers: string[];
  timezone: string;
  mustChangePassword: boolean;
};

function toActor(u: UserRow, via: UserActor['via']): UserActor {
  return {
    kind: 'user',
    id: u.id,
    email: u.email,
    name: u.name,
    role: u.role,
    serverIds: u.allowedServerIds,
    mediaUsers: u.allowedMediaUsers,
    timezone: u.timezone,
    mustChangePassword: u.mustChangePassword,
    via,
  };
}

/** The user behind a next-auth session cookie value, if it is valid and the account is active. */
export async function actorFromSessionToken(token: string | undefined): Promise<UserActor | null> {
  if (!token) return null;
  const payload = await decode({ token, secret: authSecret() }).catch(() => null);
  const userId = typeof payload?.sub === 'string' ? payload.sub : null;
  if (!userId) return null;
  // Every cookie-authenticated request comes through here: the two reads go out together.
  const [user, current] = await Promise.all([db.user.findUnique({ where: { id: userId }, select: userSelect }), sessionVersion(userId)]);
  if (!user || !user.active) return null;
  // Tokens minted before the last password change or sign-out-everywhere are dead.
  const sv = typeof payload?.sv === 'number' ? payload.sv : 0;
  if (sv < current) return null;
  return toActor(user, 'session');
}

/** Bumped on password change / forced sign-out so earlier JWTs stop working. */
export async function sessionVersion(userId: string): Promise<number> {
  const row = await db.setting.findUnique({ where: { key: `session-version:${userId}` } });
  return typeof row?.value === 'number' ? row.value : 0;
}

export async function bumpSessionVersion(userId: string): Promise<number> {
  const next = (await sessionVersion(userId)) + 1;
  await db.setting.upsert({
    where: { key: `session-version:${userId}` },
    create: { key: `session-version:${userId}`, value: next },
    update: { value: next },
  });
  return next;
}

/** The user behind a personal API token; updates its last-used time. */
export async function actorFromApiToken(token: string): Promise<UserActor | null> {
  const row = await db.apiToken.findUnique({
    where: { tokenHash: hashToken(token) },
    include: { user: { select: userSelect } },
  });
  if (!row || row.revokedAt || (row.expiresAt && row.expiresAt <= new Date()) || !row.user.active) return null;
  // Throttle the write: once a minute is plenty for "last used".
  if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > 60_000) {
    await db.apiToken.update({ where: { id: row.id }, data: { lastUsedAt: new Date() } });
  }
  return { ...toActor(row.user as UserRow, 'token'), tokenScopes: row.scopes };
}

/** A narrow token (e.g. "tracker") may only call routes that ask for its scope; "all" may call any. */
function assertTokenScope(actor: UserActor, scope: string | undefined): void {
  const scopes = actor.tokenScopes;
  if (actor.via !== 'token' || !scopes || scopes.includes('all') || (scope && scopes.includes(scope))) return;
  throw new AppError('insufficient_scope', `This API token is limited to: ${scopes.join(', ')}.`, { status: 403 });
}

export function bearerToken(req: Request): string | null {
  const h = req.headers.get('authorization');
  const m = h?.match(/^Bearer\s+(\S+)$/i);
  return m ? m[1]! : null;
}

/** The actor of an API request, or null when it carries no valid credentials. */
export async function getRequestActor(req: Request, opts: { scope?: string } = {}): Promise<UserActor | null> {
  const bearer = bearerToken(req);
  if (bearer) {
    const actor = await actorFromApiToken(bearer);
    if (actor) assertTokenScope(actor, opts.scope);
    return actor;
  }
  const cookies = parseCookies(req.headers.get('cookie'));
  const token = SESSION_COOKIES.map((n) => cookies.get(n)).find(Boolean);
  return actorFromSessionToken(token);
}

export interface RequireOptions {
  /** Allow an account that must change its password (only the password-change endpoints do). */
  allowPasswordChangeRequired?: boolean;
  /** The token scope this route serves besides "all" (e.g. "tracker"); other narrow tokens get 403. */
  scope?: string;
}

/** The actor of an API request; 401 without credentials, 403 while a password change is pending. */
export async function requireRequestActor(req: Request, opts: RequireOptions = {}): Promise<UserActor> {
  const actor = await getRequestActor(req, { scope: opts.scope });
  if (!actor) throw unauthorized();
  // CSRF: a cookie is sent by the browser on cross-site requests too; Bearer tokens are not.
  if (actor.via === 'session') assertSameOrigin(req, env.PUBLIC_URL);
  if (actor.mustChangePassword && !opts.allowPasswordChangeRequired) {
    throw new AppError('password_change_required', 'Change your password before doing anything else.', { status: 403 });
  }
  return actor;
}

/**
 * The client's IP and user agent from request headers, whatever holds them (a Request, next/headers,
 * next-auth's plain header object). Marquee's web server sets X-Forwarded-For to the socket address,
 * or keeps the proxy chain when TRUST_PROXY is on (lib/http/forwarded.ts); its first entry is the client.
 */
export function metaFromHeaders(get: (name: string) => string | null | undefined): RequestMeta {
  const fwd = get('x-forwarded-for');
  return { ip: fwd ? fwd.split(',')[0]!.trim() : (get('x-real-ip') ?? null), userAgent: get('user-agent') ?? null };
}

export function requestMeta(req: Request): RequestMeta {
  return metaFromHeaders((name) => req.headers.get(name));
}
