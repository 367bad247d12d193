// Who is acting: a signed-in user (cookie or API token) or the system (worker jobs, rules).
// Domain functions take an Actor so routes, server actions and the worker share them.
import type { Role } from '@/generated/prisma/enums';

export type UserActor = {
  kind: 'user';
  id: string;
  email: string;
  name: string;
  role: Role;
  serverIds: string[];
  mediaUsers: string[];
  timezone: string;
  mustChangePassword: boolean;
  via: 'session' | 'token';
  /** A Bearer token's scopes (lib/auth/tokens.ts TOKEN_SCOPES); absent for sessions, which may do everything. */
  tokenScopes?: readonly string[];
  /** When the session's sign-in (or last re-authentication) happened, ms since the epoch; null for API tokens. */
  authTime?: number | null;
};

export type SystemActor = { kind: 'system'; job: string };

export type Actor = UserActor | SystemActor;

export const ROLES = ['admin', 'staff', 'support', 'uploader', 'viewer'] as const satisfies readonly Role[];

export function systemActor(job: string): SystemActor {
  return { kind: 'system', job };
}

export function isAdmin(actor: Actor): boolean {
  return actor.kind === 'system' || actor.role === 'admin';
}

/** Request context recorded with audit entries. */
export interface RequestMeta {
  ip: string | null;
  userAgent: string | null;
}
