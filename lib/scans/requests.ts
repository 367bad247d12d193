// Scan requests as received (webhooks, the manual form, retries, schedules): persisted first as
// unrouted rows, then the worker is woken to route them (lib/scans/route-requests.ts).
import { db } from '../db';
import { recordAudit } from '../audit';
import type { Actor, RequestMeta } from '../auth/actor';
import { allowedServerIds, assertCan } from '../auth/permissions';
import { AppError, notFound } from '../http/errors';
import { validateScanPath, folderOf } from './paths';
import { resolveForServers } from './resolve';
import { loadMappings, loadTargetServers } from './settings';
import { wakeScanIntake } from './wake';
import type { ManualScanInput } from './schemas';

export interface NewRequest {
  source: string;
  eventType?: string | null;
  folder: string;
  serverIds?: string[];
}

/** Persists requests (one row each) and wakes the worker; returns how many were queued. */
export async function persistScanRequests(requests: NewRequest[]): Promise<number> {
  if (requests.length === 0) return 0;
  await db.scan.createMany({
    data: requests.map((r) => ({ source: r.source, eventType: r.eventType ?? null, sourcePath: r.folder, path: r.folder, requestedServerIds: r.serverIds ?? [] })),
  });
  wakeScanIntake();
  return requests.length;
}

/** The servers an actor may scan: the requested ones within their scope (all of theirs by default). */
async function scanTargetsFor(actor: Actor, requested?: string[]): Promise<string[]> {
  const allowed = allowedServerIds(actor);
  if (!requested || requested.length === 0) return allowed ?? [];
  const outside = allowed === null ? [] : requested.filter((id) => !allowed.includes(id));
  if (outside.length > 0) throw notFound('Media server');
  const existing = await db.mediaServer.count({ where: { id: { in: requested } } });
  if (existing !== new Set(requested).size) throw notFound('Media server');
  return requested;
}

/**
 * POST /api/scans: a person asks for a folder (or a file's folder) to be scanned. The path must be
 * absolute, without `..` or NUL, and land in a known library once mapped (checked now, so the form
 * says so at once rather than leaving a skipped row).
 */
export async function requestManualScan(actor: Actor, input: ManualScanInput, meta?: RequestMeta): Promise<{ queued: number }> {
  assertCan(actor, 'scans:manage');
  const folder = folderOf(validateScanPath(input.path));
  const serverIds = await scanTargetsFor(actor, input.serverIds);
  const servers = await loadTargetServers(serverIds.length > 0 ? serverIds : undefined);
  if (actor.kind === 'user' && actor.role !== 'admin' && serverIds.length === 0) throw new AppError('path_outside_libraries', 'You have no media server to scan.', { status: 422 });
  const resolutions = resolveForServers(folder, servers, await loadMappings());
  if (!resolutions.some((r) => r.targets.length > 0)) {
    const why = resolutions.map((r) => r.skipped).filter(Boolean).join(' ');
    throw new AppError('path_outside_libraries', why || 'No enabled media server to scan: add one under Servers.', { status: 422 });
  }
  const queued = await persistScanRequests([{ source: 'manual', folder, serverIds }]);
  await recordAudit({ actor, action: 'scan.request', target: { type: 'scan_path', id: folder }, meta, detail: { path: folder, serverIds } });
  return { queued };
}

/** Retry a finished scan: its original request goes through routing again (mappings may have changed). */
export async function retryScan(actor: Actor, scanId: string, meta?: RequestMeta): Promise<{ queued: number }> {
  assertCan(actor, 'scans:manage');
  const allowed = allowedServerIds(actor);
  const scan = await db.scan.findFirst({ where: { AND: [{ id: scanId }, allowed === null ? {} : { serverId: { in: allowed } }] } });
  if (!scan) throw notFound('Scan');
  if (!['done', 'failed', 'skipped'].includes(scan.status)) throw new AppError('conflict', 'This scan has not finished yet.', { status: 409 });
  const queued = await persistScanRequests([{ source: 'retry', eventType: scan.eventType, folder: scan.sourcePath, serverIds: scan.serverId ? [scan.serverId] : [] }]);
  await recordAudit({ actor, action: 'scan.retry', target: { type: 'scan', id: scanId }, meta, detail: { path: scan.sourcePath } });
  return { queued };
}

/** Deletes finished scans (all finished ones, or one status) in the actor's scope. */
export async function clearScans(actor: Actor, status: 'done' | 'failed' | 'skipped' | undefined, meta?: RequestMeta): Promise<{ deleted: number }> {
  assertCan(actor, 'scans:manage');
  const allowed = allowedServerIds(actor);
  const { count } = await db.scan.deleteMany({
    where: { AND: [{ status: status ? status : { in: ['done', 'failed', 'skipped'] } }, allowed === null ? {} : { serverId: { in: allowed } }] },
  });
  await recordAudit({ actor, action: 'scan.clear', target: { type: 'scan' }, meta, detail: { status: status ?? 'finished', deleted: count } });
  return { deleted: count };
}
