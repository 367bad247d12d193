// Reads for the Autoscan page and GET /api/scans, scoped to the servers the actor may see.
import { db } from '../db';
import type { Actor } from '../auth/actor';
import { allowedServerIds, assertCan } from '../auth/permissions';
import type { Prisma } from '@/generated/prisma/client';
import type { ListScansQuery } from './schemas';

type ScanRow = Prisma.ScanGetPayload<{ include: { server: { select: { name: true; type: true } } } }>;

export function serializeScan(s: ScanRow) {
  return {
    id: s.id,
    path: s.path,
    sourcePath: s.sourcePath,
    serverId: s.serverId,
    serverName: s.server?.name ?? null,
    serverType: s.server?.type ?? null,
    libraryKey: s.libraryKey,
    libraryName: s.libraryName,
    source: s.source,
    eventType: s.eventType,
    // A request not yet routed is queued (it has no target yet).
    status: s.status,
    routed: s.routedAt !== null,
    attempts: s.attempts,
    error: s.error ?? undefined,
    method: s.method,
    requestCount: s.requestCount,
    requestedAt: s.requestedAt.toISOString(),
    dueAt: s.dueAt.toISOString(),
    startedAt: s.startedAt?.toISOString() ?? null,
    finishedAt: s.finishedAt?.toISOString() ?? null,
    durationMs: s.durationMs,
  };
}
export type ScanView = ReturnType<typeof serializeScan>;

function scopeWhere(actor: Actor): Prisma.ScanWhereInput {
  const allowed = allowedServerIds(actor);
  // Unrouted requests have no server yet; they only name a folder.
  return allowed === null ? {} : { OR: [{ serverId: { in: allowed } }, { serverId: null }] };
}

export async function listScans(actor: Actor, q: ListScansQuery) {
  assertCan(actor, 'scans:view');
  const and: Prisma.ScanWhereInput[] = [scopeWhere(actor)];
  if (q.status) and.push({ status: q.status });
  if (q.state === 'active') and.push({ status: { in: ['queued', 'scanning', 'retrying'] } });
  if (q.state === 'finished') and.push({ status: { in: ['done', 'failed', 'skipped'] } });
  if (q.serverId) and.push({ serverId: q.serverId });
  if (q.source) and.push({ source: q.source });
  if (q.q) and.push({ OR: [{ path: { contains: q.q, mode: 'insensitive' } }, { sourcePath: { contains: q.q, mode: 'insensitive' } }] });
  if (q.cursor) {
    const dot = q.cursor.indexOf('.');
    const at = new Date(Number(q.cursor.slice(0, dot)));
    const id = q.cursor.slice(dot + 1);
    and.push({ OR: [{ requestedAt: { lt: at } }, { requestedAt: at, id: { lt: id } }] });
  }
  const rows = await db.scan.findMany({
    where: { AND: and },
    include: { server: { select: { name: true, type: true } } },
    orderBy: [{ requestedAt: 'desc' }, { id: 'desc' }],
    take: q.limit + 1,
  });
  const page = rows.slice(0, q.limit);
  const last = page[page.length - 1];
  return { scans: page.map(serializeScan), nextCursor: rows.length > q.limit && last ? `${last.requestedAt.getTime()}.${last.id}` : null };
}

export async function scanCounts(actor: Actor) {
  assertCan(actor, 'scans:view');
  const groups = await db.scan.groupBy({ by: ['status'], where: scopeWhere(actor), _count: { _all: true } });
  const out: Record<string, number> = { queued: 0, scanning: 0, retrying: 0, done: 0, failed: 0, skipped: 0 };
  for (const g of groups) out[g.status] = g._count._all;
  return out;
}
