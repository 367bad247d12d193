// next-auth v4: email + password (Credentials) with JWT sessions in an HttpOnly, SameSite=Lax cookie.
import type { NextAuthOptions } from 'next-auth';
import Credentials from 'next-auth/providers/credentials';
import { z } from 'zod';
import { authSecret } from '../secrets';
import { verifyCredentials, type SignInResult } from './sign-in';
import { parsePinId, PLEX_PIN_COOKIE, verifyMediaCredentials, verifyPlexPin } from './media-sign-in';
import { bumpSessionVersion, metaFromHeaders, parseCookies, sessionVersion } from './session';
import { recordAudit } from '../audit/record';
import type { RequestMeta } from './actor';
import { db } from '../db';
import { POLICIES, rateLimit } from '../rate-limit';

const credentialsSchema = z.object({
  email: z.string().min(1).max(320),
  password: z.string().min(1).max(1024),
  totp: z.string().max(32).optional(),
});

const mediaCredentialsSchema = z.object({
  serverId: z.string().min(1).max(100),
  username: z.string().trim().min(1).max(256),
  password: z.string().max(1024),
});

function header(req: { headers?: Record<string, unknown> } | undefined, name: string): string | null {
  const v = req?.headers?.[name];
  return typeof v === 'string' ? v : Array.isArray(v) ? String(v[0]) : null;
}

/**
 * Every provider's sign-in: the sign-in rate limit (keyed by client IP; without one — no proxy
 * headers — by `fallbackKey`, so strangers don't share one bucket), then `verify`. next-auth passes a
 * thrown error's message to the client as `error`; a plain wrong credential is null.
 */
async function limitedSignIn(req: { headers?: Record<string, unknown> } | undefined, fallbackKey: string, verify: (meta: RequestMeta) => Promise<SignInResult>) {
  const meta = metaFromHeaders((name) => header(req, name));
  const limited = await rateLimit(meta.ip ? `ip:${meta.ip}` : fallbackKey, POLICIES.signIn);
  if (!limited.ok) throw new Error('rate_limited');
  const result = await verify(meta);
  if (!result.ok && result.reason !== 'invalid_credentials') throw new Error(result.reason);
  return result.ok ? { id: result.user.id, email: result.user.email, name: result.user.name } : null;
}

export function authOptions(): NextAuthOptions {
  return {
    secret: authSecret(),
    session: { strategy: 'jwt', maxAge: 30 * 24 * 3600 },
    pages: { signIn: '/login' },
    providers: [
      Credentials({
        name: 'Email and password',
        credentials: {
          email: { label: 'Email', type: 'email' },
          password: { label: 'Password', type: 'password' },
          totp: { label: 'Authentication code', type: 'text' },
        },
        async authorize(raw, req) {
          const parsed = credentialsSchema.safeParse(raw);
          if (!parsed.success) return null;
          const { email, password, totp } = parsed.data;
          return limitedSignIn(req, `email:${email.trim().toLowerCase()}`, (meta) => verifyCredentials(email, password, meta, { totp }));
        },
      }),
      // Jellyfin/Emby media users (lib/auth/media-sign-in.ts): their server checks the password.
      Credentials({
        id: 'media',
        name: 'Media server account',
        credentials: {
          serverId: { label: 'Server', type: 'text' },
          username: { label: 'Username', type: 'text' },
          password: { label: 'Password', type: 'password' },
        },
        async authorize(raw, req) {
          const parsed = mediaCredentialsSchema.safeParse(raw);
          if (!parsed.success) return null;
          const { serverId, username, password } = parsed.data;
          return limitedSignIn(req, `media:${serverId}:${username.toLowerCase()}`, (meta) => verifyMediaCredentials(serverId, username, password, meta));
        },
      }),
      // Plex media users: a plex.tv PIN this browser started (its signed cookie) and linked.
      Credentials({
        id: 'plex',
        name: 'Plex',
        credentials: { pinId: { label: 'PIN', type: 'text' } },
        async authorize(raw, req) {
          const pinId = parsePinId((raw as { pinId?: unknown } | undefined)?.pinId);
          if (pinId === null) return null;
          return limitedSignIn(req, `plex-pin:${pinId}`, (meta) => verifyPlexPin(pinId, parseCookies(header(req, 'cookie')).get(PLEX_PIN_COOKIE), meta));
        },
      }),
    ],
    callbacks: {
      async jwt({ token, user }) {
        if (user) {
          token.sub = user.id;
          token.sv = await sessionVersion(user.id);
          // The sign-in time: sensitive actions need it to be recent (requireRecentAuth).
          token.auth_time = Math.floor(Date.now() / 1000);
          return token;
        }
        // next-auth re-issues the cookie on every /api/auth/session call: a revoked session must
        // not be renewed (throwing makes next-auth clear the cookie instead).
        const current = typeof token.sub === 'string' ? await db.user.findUnique({ where: { id: token.sub }, select: { active: true } }) : null;
        if (!current?.active || token.sv !== (await sessionVersion(token.sub!))) throw new Error('session_revoked');
        return token;
      },
      session({ session, token }) {
        return { ...session, user: { ...session.user, id: token.sub } };
      },
    },
    events: {
      // Signing out ends the session for real, not only in this browser: the JWT (valid for 30
      // days) would otherwise keep working for whoever copied it. It ends the user's other sessions too.
      async signOut({ token }) {
        const userId = typeof token?.sub === 'string' ? token.sub : null;
        if (!userId || token.sv !== (await sessionVersion(userId))) return;
        await bumpSessionVersion(userId);
        await recordAudit({ actor: null, action: 'auth.sign_out', target: { type: 'user', id: userId }, detail: { sessionsEnded: true } });
      },
    },
  };
}
