// The live snapshot as the API returns it (the normalized session shape) and session actions.
import { db } from '../db';
import { recordAudit } from '../audit';
import { assertCan, serverScope, canSeeServer } from '../auth/permissions';
import { notFound } from '../http/errors';
import type { Actor, RequestMeta } from '../auth/actor';
import type { ProviderSession } from '../media-servers';
import { providerForServer, toAppError } from './provider';
import { publishLive } from './live-bus';
import { closeLiveSessions, terminateOnServer } from './session-control';

export interface NormalizedSession extends Omit<ProviderSession, 'mediaUserId' | 'thumb' | 'itemId'> {
  id: string;
  serverId: string;
  serverName: string;
  serverType: string;
  mediaUserId: string | null;
  posterUrl: string | null;
  startedAt: string;
}

function toNormalized(row: { id: string; serverId: string; startedAt: Date; data: unknown; server: { name: string; type: string } }): NormalizedSession {
  const d = row.data as ProviderSession;
  const { thumb, itemId: _itemId, ...rest } = d;
  return {
    id: row.id,
    serverId: row.serverId,
    serverName: row.server.name,
    serverType: row.server.type,
    ...rest,
    posterUrl: thumb ? `/api/servers/${row.serverId}/poster?thumb=${encodeURIComponent(thumb)}` : null,
    startedAt: row.startedAt.toISOString(),
  };
}

export async function listSessions(actor: Actor, opts: { serverId?: string } = {}): Promise<NormalizedSession[]> {
  assertCan(actor, 'servers:view');
  const rows = await db.liveSession.findMany({
    where: { server: { ...serverScope(actor), enabled: true }, ...(opts.serverId ? { serverId: opts.serverId } : {}) },
    include: { server: { select: { name: true, type: true } } },
    orderBy: [{ server: { name: 'asc' } }, { startedAt: 'asc' }],
  });
  return rows.map(toNormalized);
}

export async function terminateSession(actor: Actor, id: string, message: string | undefined, meta?: RequestMeta): Promise<void> {
  const row = await db.liveSession.findUnique({ where: { id }, include: { server: true } });
  // A session on a server the actor may not see does not exist for them.
  if (!row || !canSeeServer(actor, row.serverId)) throw notFound('Session');
  assertCan(actor, 'sessions:terminate');
  const data = row.data as unknown as ProviderSession;
  const stopped = await terminateOnServer(providerForServer(row.server), row.sessionKey, message);
  if (!stopped.ok) {
    await recordAudit({ actor, action: 'session.terminate_failed', target: { type: 'live_session', id }, meta, detail: { serverId: row.serverId, sessionKey: row.sessionKey, error: stopped.error } });
    throw toAppError(stopped.cause, 502);
  }
  await closeLiveSessions(row.serverId, [row.sessionKey], new Date(), 'terminated');
  await recordAudit({
    actor, action: 'session.terminate', target: { type: 'live_session', id }, meta,
    detail: { serverId: row.serverId, serverName: row.server.name, sessionKey: row.sessionKey, mediaUser: data.mediaUser, title: data.title, message: message ?? null },
  });
  await publishLive(row.serverId);
}
