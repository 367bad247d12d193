// next-auth v4: email + password (Credentials) with JWT sessions in an HttpOnly, SameSite=Lax cookie.
import type { NextAuthOptions } from 'next-auth';
import Credentials from 'next-auth/providers/credentials';
import { z } from 'zod';
import { authSecret } from '../secrets';
import { verifyCredentials } from './sign-in';
import { metaFromHeaders, sessionVersion } from './session';
import { POLICIES, rateLimit } from '../rate-limit';

const credentialsSchema = z.object({
  email: z.string().min(1).max(320),
  password: z.string().min(1).max(1024),
  totp: z.string().max(32).optional(),
});

function header(req: { headers?: Record<string, unknown> } | undefined, name: string): string | null {
  const v = req?.headers?.[name];
  return typeof v === 'string' ? v : Array.isArray(v) ? String(v[0]) : null;
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
          const meta = metaFromHeaders((name) => header(req, name));
          // Keyed by IP; without one (no proxy headers) by the email, so strangers don't share one bucket.
          const limited = await rateLimit(meta.ip ? `ip:${meta.ip}` : `email:${parsed.data.email.trim().toLowerCase()}`, POLICIES.signIn);
          // next-auth passes a thrown error's message to the client as `error`.
          if (!limited.ok) throw new Error('rate_limited');
          const result = await verifyCredentials(parsed.data.email, parsed.data.password, meta, { totp: parsed.data.totp });
          if (!result.ok && result.reason !== 'invalid_credentials') throw new Error(result.reason);
          return result.ok ? { id: result.user.id, email: result.user.email, name: result.user.name } : null;
        },
      }),
    ],
    callbacks: {
      async jwt({ token, user }) {
        if (user) {
          token.sub = user.id;
          token.sv = await sessionVersion(user.id);
        }
        return token;
      },
      session({ session, token }) {
        return { ...session, user: { ...session.user, id: token.sub } };
      },
    },
  };
}
