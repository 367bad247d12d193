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
    if (out.has(k)) continue;
    // One malformed value (bad %-encoding, set by anything on the domain) must not fail every
    // request of that browser: it is skipped, so a broken session cookie is simply no session.
    try {
      out.set(k, decodeURIComponent(part.slice(i + 1).trim()));
    } catch {
      /* not a cookie we can read */
    }
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

function toActor(u: UserRow, via: UserActor['via'], authTime: number | null = null): UserActor {
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
    authTime,
  };
}

/** Seconds since the epoch of the sign-in (or re-authentication) a session JWT carries, if any. */
export function authTimeOf(payload: Record<string, unknown> | null | undefined): number | null {
  return typeof payload?.auth_time === 'number' ? payload.auth_time * 1000 : null;
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
  if (sv !== current) return null;
  return toActor(user, 'session', authTimeOf(payload));
}

/**
 * Bumped by every event that must end a user's sessions: sign-out, password change, admin reset,
 * disabling, a role or email change. A session JWT carries the version it was issued under (`sv`)
 * and is refused once the version moved on (actorFromSessionToken, and next-auth's jwt callback).
 */
export async function sessionVersion(userId: string): Promise<number> {
  const row = await db.setting.findUnique({ where: { key: `session-version:${userId}` } });
  return typeof row?.value === 'number' ? row.value : 0;
}

type SettingWriter = Pick<typeof db, '$queryRaw'>;

/** Ends every session of the user (atomically: two bumps at once give two versions). */
export async function bumpSessionVersion(userId: string, tx: SettingWriter = db): Promise<number> {
  const key = `session-version:${userId}`;
  const [row] = await tx.$queryRaw<{ v: number }[]>`
    INSERT INTO "Setting" ("key", "value", "updatedAt") VALUES (${key}, to_jsonb(1), now())
    ON CONFLICT ("key") DO UPDATE SET "value" = to_jsonb(COALESCE(("Setting"."value" #>> '{}')::int, 0) + 1), "updatedAt" = now()
    RETURNING ("value" #>> '{}')::int AS v`;
  return row!.v;
}

/** Sensitive actions need a sign-in (or re-authentication) at most this long ago. */
export const REAUTH_WINDOW_MS = 10 * 60_000;

/**
 * 403 `reauth_required` unless the actor signed in or re-authenticated (POST /api/account/reauth)
 * within the last 10 minutes. API tokens never qualify: a leaked token must not mint more tokens,
 * change the password or the second factor.
 */
export function requireRecentAuth(actor: UserActor, now = Date.now()): void {
  if (actor.via === 'session' && actor.authTime && now - actor.authTime <= REAUTH_WINDOW_MS && actor.authTime <= now + 60_000) return;
  throw new AppError(
    'reauth_required',
    actor.via === 'token'
      ? 'This action needs a recent sign-in in the browser; an API token cannot do it.'
      : 'Confirm your password to continue: this action needs a sign-in within the last 10 minutes.',
    { status: 403 },
  );
}

/**
 * For long-lived responses (SSE): re-checks every `intervalMs` that the request's credentials
 * still hold (not signed out, password unchanged, account active, role unchanged…) and calls
 * `onRevoked` once when they do not. Returns the function that stops watching.
 */
export function watchRequestSession(req: Request, onRevoked: () => void, intervalMs = 5_000): () => void {
  let stopped = false;
  const timer = setInterval(() => {
    void getRequestActor(req)
      .then((actor) => {
        if (!actor && !stopped) {
          stopped = true;
          clearInterval(timer);
          onRevoked();
        }
      })
      .catch(() => {
        /* a database hiccup is not a revocation; the next tick checks again */
      });
  }, intervalMs);
  timer.unref?.();
  return () => {
    stopped = true;
    clearInterval(timer);
  };
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
