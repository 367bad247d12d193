// Test helpers for signed-in requests: real users in the test database, real next-auth JWTs,
// real hashed API tokens. Nothing is mocked.
import { randomBytes } from 'node:crypto';
import { encode } from 'next-auth/jwt';
import { db } from '../../lib/db';
import { hashPassword } from '../../lib/auth/password';
import { hashToken, sessionVersion } from '../../lib/auth/session';
import { authSecret } from '../../lib/secrets';
import type { Role } from '../../generated/prisma/enums';

export const TEST_PASSWORD = 'Correct-Horse-42!battery';

let passwordHash: Promise<string> | undefined;

export interface TestUser {
  id: string;
  email: string;
  name: string;
  role: Role;
}

export async function createUser(
  opts: Partial<{ role: Role; email: string; name: string; serverIds: string[]; mediaUsers: string[]; mustChangePassword: boolean; active: boolean }> = {},
): Promise<TestUser> {
  passwordHash ??= hashPassword(TEST_PASSWORD);
  const role = opts.role ?? 'viewer';
  const user = await db.user.create({
    data: {
      email: opts.email ?? `${role}-${randomBytes(4).toString('hex')}@example.test`,
      name: opts.name ?? `Test ${role}`,
      passwordHash: await passwordHash,
      role,
      allowedServerIds: opts.serverIds ?? [],
      allowedMediaUsers: opts.mediaUsers ?? [],
      mustChangePassword: opts.mustChangePassword ?? false,
      active: opts.active ?? true,
    },
  });
  return { id: user.id, email: user.email, name: user.name, role: user.role };
}

/**
 * A next-auth session cookie header value for the user, as the browser would send it right after
 * signing in (`authTime`: when that sign-in happened, default now; sensitive actions need it recent).
 */
export async function sessionCookie(user: { id: string }, opts: { authTime?: Date | null } = {}): Promise<string> {
  const at = opts.authTime === undefined ? new Date() : opts.authTime;
  const token = await encode({
    token: { sub: user.id, sv: await sessionVersion(user.id), ...(at ? { auth_time: Math.floor(at.getTime() / 1000) } : {}) },
    secret: authSecret(),
  });
  return `next-auth.session-token=${token}`;
}

/** A personal API token for the user (stored hashed, like the real ones). */
export async function apiToken(user: { id: string }, name = 'test'): Promise<string> {
  const token = `mq_${randomBytes(24).toString('base64url')}`;
  await db.apiToken.create({ data: { userId: user.id, name, tokenHash: hashToken(token), prefix: token.slice(0, 7) } });
  return token;
}

/** Headers for a same-origin, cookie-authenticated browser request. */
export async function authHeaders(user: { id: string }, extra: Record<string, string> = {}, opts: { authTime?: Date | null } = {}): Promise<Record<string, string>> {
  return {
    cookie: await sessionCookie(user, opts),
    origin: 'http://localhost:3000',
    host: 'localhost:3000',
    'sec-fetch-site': 'same-origin',
    ...extra,
  };
}

export function req(path: string, init: RequestInit & { headers?: Record<string, string> } = {}): Request {
  return new Request(`http://localhost:3000${path}`, init);
}
