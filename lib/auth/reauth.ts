// Re-authentication: a signed-in user confirms the password (and a TOTP code when it is on) to
// refresh the sign-in time their session carries, which sensitive actions require to be recent
// (requireRecentAuth). The refreshed session is a new next-auth JWT with the same claims.
import { decode, encode } from 'next-auth/jwt';
import { db } from '../db';
import { AppError, unauthorized } from '../http/errors';
import { recordAudit } from '../audit/record';
import { authSecret } from '../secrets';
import { enforceRateLimit, POLICIES } from '../rate-limit';
import { verifyPassword } from './password';
import { verifySecondFactor } from './totp';
import { parseCookies, SESSION_COOKIES } from './session';
import type { RequestMeta, UserActor } from './actor';

/** Same lifetime as next-auth's session (lib/auth/options.ts). */
const SESSION_MAX_AGE_S = 30 * 24 * 3600;

export interface ReauthResult {
  cookieName: string;
  cookieValue: string;
  maxAgeS: number;
}

/**
 * Checks the password (+ code) of the session's user and returns the refreshed session cookie.
 * Wrong answers are audited and share the per-user password-check budget (no unthrottled oracle).
 */
export async function reauthenticate(actor: UserActor, req: Request, input: { password: string; totp?: string }, meta: RequestMeta, now = Date.now()): Promise<ReauthResult> {
  if (actor.via !== 'session') throw new AppError('reauth_required', 'Re-authentication is for browser sessions; an API token cannot do it.', { status: 403 });
  const cookies = parseCookies(req.headers.get('cookie'));
  const cookieName = SESSION_COOKIES.find((n) => cookies.get(n));
  const payload = cookieName ? await decode({ token: cookies.get(cookieName), secret: authSecret() }).catch(() => null) : null;
  if (!cookieName || !payload || payload.sub !== actor.id) throw unauthorized();

  await enforceRateLimit(`user:${actor.id}`, POLICIES.passwordCheck);
  const user = await db.user.findUniqueOrThrow({ where: { id: actor.id }, omit: { passwordHash: false } });
  const failed = async (reason: string, error: AppError) => {
    await recordAudit({ actor, action: 'account.reauth_failed', target: { type: 'user', id: actor.id }, meta, detail: { reason } });
    return error;
  };
  if (!(await verifyPassword(user.passwordHash, input.password))) throw await failed('invalid_password', new AppError('invalid_password', 'Your password is not correct.', { status: 422 }));
  if (user.totpEnabled) {
    if (!input.totp?.trim()) throw new AppError('totp_required', 'Enter the code from your authenticator app (or a recovery code).', { status: 422 });
    if (!(await verifySecondFactor(user.id, input.totp.trim()))) throw await failed('invalid_totp', new AppError('invalid_code', 'That code is not valid.', { status: 422 }));
  }
  const token = { ...payload, auth_time: Math.floor(now / 1000) };
  const cookieValue = await encode({ token, secret: authSecret(), maxAge: SESSION_MAX_AGE_S });
  await recordAudit({ actor, action: 'account.reauthenticated', target: { type: 'user', id: actor.id }, meta, detail: { method: user.totpEnabled ? 'password+totp' : 'password' } });
  return { cookieName, cookieValue, maxAgeS: SESSION_MAX_AGE_S };
}

/** The Set-Cookie value for a refreshed session, with next-auth's attributes. */
export function sessionCookieHeader(r: ReauthResult): string {
  const secure = r.cookieName.startsWith('__Secure-') ? '; Secure' : '';
  return `${r.cookieName}=${r.cookieValue}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${r.maxAgeS}${secure}`;
}
