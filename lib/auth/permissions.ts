// Role → capability table. Server-side checks call these; hiding a button is not one.
import { forbidden } from '../http/errors';
import type { Actor } from './actor';
import type { Role } from '@/generated/prisma/enums';

export const PERMISSIONS = {
  'servers:manage': ['admin'],
  'servers:view': ['admin', 'staff', 'support'],
  'sessions:terminate': ['admin', 'staff'],
  'media-users:manage': ['admin', 'staff'],
  'history:view': ['admin', 'staff', 'support', 'uploader', 'viewer'],
  'history:import': ['admin'],
  'scans:view': ['admin', 'staff', 'support'],
  'scans:manage': ['admin', 'staff'],
  'videos:watch': ['admin', 'staff', 'support', 'uploader', 'viewer'],
  'videos:upload': ['admin', 'uploader'],
  'tracker:use': ['admin', 'staff', 'support', 'uploader', 'viewer'],
  'users:manage': ['admin'],
  'audit:view': ['admin'],
  'settings:manage': ['admin'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

export function can(actor: Actor, permission: Permission): boolean {
  if (actor.kind === 'system') return true;
  return (PERMISSIONS[permission] as readonly Role[]).includes(actor.role);
}

export function assertCan(actor: Actor, permission: Permission): void {
  if (!can(actor, permission)) throw forbidden();
}


/**
 * Prisma `where` fragment limiting media servers to those the actor may see: all for admins and
 * the system, the assigned ones for staff/support, none for everyone else.
 */
export function serverScope(actor: Actor): { id?: { in: string[] } } {
  if (actor.kind === 'system' || actor.role === 'admin') return {};
  if (actor.role === 'staff' || actor.role === 'support') return { id: { in: actor.serverIds } };
  return { id: { in: [] } };
}

/** Server ids the actor may see, or null for "all". */
export function allowedServerIds(actor: Actor): string[] | null {
  if (actor.kind === 'system' || actor.role === 'admin') return null;
  if (actor.role === 'staff' || actor.role === 'support') return actor.serverIds;
  return [];
}

export function canSeeServer(actor: Actor, serverId: string): boolean {
  const ids = allowedServerIds(actor);
  return ids === null || ids.includes(serverId);
}

