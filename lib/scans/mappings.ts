// Path mappings: ordered rewrites from the *arr's paths to each media server's (admin-only changes,
// audited), and the "test a path" preview the page shows per target.
import { db } from '../db';
import { recordAudit } from '../audit';
import type { Actor, RequestMeta } from '../auth/actor';
import { assertCan } from '../auth/permissions';
import { AppError, notFound } from '../http/errors';
import { folderOf, normalizePath, validateScanPath } from './paths';
import { compileMappingRegex, resolveForServers } from './resolve';
import { loadMappings, loadTargetServers } from './settings';
import type { PathMappingInput } from './schemas';

function serializeMapping(m: { id: string; position: number; kind: string; from: string; to: string; serverId: string | null; createdAt: Date }) {
  return { id: m.id, position: m.position, kind: m.kind, from: m.from, to: m.to, serverId: m.serverId, createdAt: m.createdAt.toISOString() };
}

function checkMapping(input: { kind?: string; from?: string; to?: string }): void {
  if (input.kind === 'regex' && input.from !== undefined) {
    if (!compileMappingRegex(input.from)) throw new AppError('invalid_mapping', `"${input.from}" is not a valid regular expression.`, { status: 422 });
  } else if (input.from !== undefined && !validAbsolute(input.from)) {
    throw new AppError('invalid_mapping', 'A prefix mapping rewrites an absolute path: "from" must start with / or a drive letter.', { status: 422 });
  }
  if ([input.from, input.to].some((v) => v !== undefined && /[\u0000-\u001f]/.test(v))) throw new AppError('invalid_mapping', 'Mappings cannot contain control characters.', { status: 422 });
}

function validAbsolute(p: string): boolean {
  try {
    validateScanPath(p);
    return true;
  } catch {
    return false;
  }
}

async function checkServer(serverId: string | null | undefined) {
  if (serverId && !(await db.mediaServer.findUnique({ where: { id: serverId }, select: { id: true } }))) throw notFound('Media server');
}

export async function listPathMappings(actor: Actor) {
  assertCan(actor, 'scans:view');
  const rows = await db.pathMapping.findMany({ orderBy: [{ position: 'asc' }, { createdAt: 'asc' }] });
  return rows.map(serializeMapping);
}

export async function createPathMapping(actor: Actor, input: PathMappingInput, meta?: RequestMeta) {
  assertCan(actor, 'settings:manage');
  checkMapping(input);
  await checkServer(input.serverId);
  const last = await db.pathMapping.aggregate({ _max: { position: true } });
  const row = await db.pathMapping.create({
    data: {
      kind: input.kind,
      from: input.kind === 'prefix' ? normalizePath(input.from) : input.from,
      to: input.to,
      serverId: input.serverId ?? null,
      position: input.position ?? (last._max.position ?? -1) + 1,
    },
  });
  await recordAudit({ actor, action: 'path_mapping.create', target: { type: 'path_mapping', id: row.id }, meta, detail: { kind: row.kind, from: row.from, to: row.to, serverId: row.serverId } });
  return serializeMapping(row);
}

export async function updatePathMapping(actor: Actor, id: string, input: Partial<PathMappingInput>, meta?: RequestMeta) {
  assertCan(actor, 'settings:manage');
  const prev = await db.pathMapping.findUnique({ where: { id } });
  if (!prev) throw notFound('Path mapping');
  const kind = input.kind ?? prev.kind;
  const from = input.from ?? prev.from;
  checkMapping({ kind, from, to: input.to });
  await checkServer(input.serverId);
  const row = await db.pathMapping.update({
    where: { id },
    data: {
      kind,
      from: kind === 'prefix' ? normalizePath(from) : from,
      ...(input.to !== undefined ? { to: input.to } : {}),
      ...(input.serverId !== undefined ? { serverId: input.serverId } : {}),
      ...(input.position !== undefined ? { position: input.position } : {}),
    },
  });
  await recordAudit({ actor, action: 'path_mapping.update', target: { type: 'path_mapping', id }, meta, detail: { before: serializeMapping(prev), after: serializeMapping(row) } });
  return serializeMapping(row);
}

export async function deletePathMapping(actor: Actor, id: string, meta?: RequestMeta) {
  assertCan(actor, 'settings:manage');
  const prev = await db.pathMapping.findUnique({ where: { id } });
  if (!prev) throw notFound('Path mapping');
  await db.pathMapping.delete({ where: { id } });
  await recordAudit({ actor, action: 'path_mapping.delete', target: { type: 'path_mapping', id }, meta, detail: serializeMapping(prev) });
}

/** "Test a path": per target server, the rewritten path and the libraries it lands in, or why none. */
export async function testScanPath(actor: Actor, input: string) {
  assertCan(actor, 'scans:view');
  const folder = folderOf(validateScanPath(input));
  const servers = await loadTargetServers();
  const results = resolveForServers(folder, servers, await loadMappings());
  return {
    folder,
    targets: results.map((r) => ({
      serverId: r.serverId,
      serverName: r.serverName,
      mappedPath: r.mappedPath,
      mappingId: r.mapping?.id ?? null,
      libraries: r.targets.map((t) => ({ key: t.libraryKey, name: t.libraryName, path: t.path })),
      reason: r.skipped ?? null,
    })),
  };
}
