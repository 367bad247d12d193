// What a Tautulli call may see, for every command file: the servers of the context (handle.ts
// visibleServerIds, narrowed by server_id) and, for roles without server access (uploaders,
// viewers), only the (server, media user) pairs an admin allowed them: their own sessions and plays.
import { Prisma } from '@/generated/prisma/client';
import { db } from '../db';
import { can } from '../auth/permissions';
import { parseMediaUserPair, scopeSql } from '../history/queries';
import type { TautulliContext } from './types';

/** The context's servers, by name. */
export async function contextServers(ctx: TautulliContext) {
  if (ctx.serverIds.length === 0) return [];
  return db.mediaServer.findMany({ where: { id: { in: ctx.serverIds } }, orderBy: [{ name: 'asc' }, { id: 'asc' }] });
}
export type ContextServer = Awaited<ReturnType<typeof contextServers>>[number];

/**
 * The media users the caller is limited to, or null when every media user of the context's servers
 * is visible (admins, staff, support). `mediaUserId: null` is a whole server ("<serverId>:*").
 */
export function mediaUserLimit(ctx: TautulliContext): { serverId: string; mediaUserId: string | null }[] | null {
  if (can(ctx.actor, 'servers:view')) return null;
  return ctx.actor.mediaUsers.map(parseMediaUserPair).flatMap((p) => (p && ctx.serverIds.includes(p.serverId) ? [p] : []));
}

/** Whether a media user of a server is visible to the caller. */
export function seesMediaUser(limit: ReturnType<typeof mediaUserLimit>, serverId: string, mediaUserId: string | null): boolean {
  if (limit === null) return true;
  return limit.some((p) => p.serverId === serverId && (p.mediaUserId === null || p.mediaUserId === mediaUserId));
}

/** The plays (`p`, "Play") the call covers: the caller's history scope within the context's servers. */
export function playScope(ctx: TautulliContext): Prisma.Sql {
  if (ctx.serverIds.length === 0) return Prisma.sql`FALSE`;
  return Prisma.sql`(${scopeSql(ctx.actor)}) AND p."serverId" IN (${Prisma.join(ctx.serverIds)})`;
}
