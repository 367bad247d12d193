// Media users and libraries: synced from each server on demand and daily; per-user library access.
import { db } from '../db';
import { recordAudit } from '../audit';
import { assertCan } from '../auth/permissions';
import { notFound } from '../http/errors';
import type { Actor, RequestMeta } from '../auth/actor';
import { isMediaServerError, type LibraryAccess } from '../media-servers';
import { getServerOrThrow } from './crud';
import { providerForServer, toAppError } from './provider';

export const DIRECTORY_SYNC_INTERVAL_MS = 24 * 60 * 60 * 1000;

export async function syncServerDirectory(actor: Actor, serverId: string, meta?: RequestMeta) {
  const server = await getServerOrThrow(actor, serverId);
  if (actor.kind === 'user') assertCan(actor, 'media-users:manage');
  const provider = providerForServer(server);
  let users, libraries;
  try {
    [users, libraries] = await Promise.all([provider.listUsers(), provider.listLibraries()]);
  } catch (err) {
    throw toAppError(err, 502);
  }
  const now = new Date();
  await db.$transaction([
    db.mediaUser.deleteMany({ where: { serverId, externalId: { notIn: users.map((u) => u.id) } } }),
    ...users.map((u) => db.mediaUser.upsert({
      where: { serverId_externalId: { serverId, externalId: u.id } },
      create: { serverId, externalId: u.id, name: u.name, isAdmin: u.isAdmin, isDisabled: u.isDisabled, syncedAt: now },
      update: { name: u.name, isAdmin: u.isAdmin, isDisabled: u.isDisabled, syncedAt: now },
    })),
    db.mediaLibrary.deleteMany({ where: { serverId, externalId: { notIn: libraries.map((l) => l.id) } } }),
    ...libraries.map((l) => db.mediaLibrary.upsert({
      where: { serverId_externalId: { serverId, externalId: l.id } },
      create: { serverId, externalId: l.id, name: l.name, type: l.type, paths: l.paths, syncedAt: now },
      update: { name: l.name, type: l.type, paths: l.paths, syncedAt: now },
    })),
    db.mediaServer.update({ where: { id: serverId }, data: { usersSyncedAt: now } }),
  ]);
  if (actor.kind === 'user') {
    await recordAudit({ actor, action: 'server.sync_directory', target: { type: 'media_server', id: serverId }, meta, detail: { users: users.length, libraries: libraries.length } });
  }
  return { users: users.length, libraries: libraries.length };
}

/** Daily sync of every enabled server whose directory is older than a day (worker). */
export async function syncDueDirectories(actor: Actor, now = new Date()) {
  const due = await db.mediaServer.findMany({
    where: { enabled: true, health: { not: 'down' }, OR: [{ usersSyncedAt: null }, { usersSyncedAt: { lt: new Date(now.getTime() - DIRECTORY_SYNC_INTERVAL_MS) } }] },
    select: { id: true },
  });
  return Promise.allSettled(due.map((s) => syncServerDirectory(actor, s.id)));
}

export async function listMediaUsers(actor: Actor, serverId: string) {
  await getServerOrThrow(actor, serverId);
  assertCan(actor, 'media-users:manage');
  return db.mediaUser.findMany({ where: { serverId }, orderBy: { name: 'asc' } });
}

export async function listMediaLibraries(actor: Actor, serverId: string) {
  await getServerOrThrow(actor, serverId);
  return db.mediaLibrary.findMany({ where: { serverId }, orderBy: { name: 'asc' } });
}

async function mediaUserOrThrow(serverId: string, userId: string) {
  const user = await db.mediaUser.findFirst({ where: { serverId, OR: [{ id: userId }, { externalId: userId }] } });
  if (!user) throw notFound('Media user');
  return user;
}

export async function getUserLibraryAccess(actor: Actor, serverId: string, userId: string): Promise<LibraryAccess> {
  const server = await getServerOrThrow(actor, serverId);
  assertCan(actor, 'media-users:manage');
  const user = await mediaUserOrThrow(serverId, userId);
  try {
    return await providerForServer(server).getLibraryAccess(user.externalId);
  } catch (err) {
    throw toAppError(err, 502);
  }
}

export async function setUserLibraryAccess(actor: Actor, serverId: string, userId: string, access: LibraryAccess, meta?: RequestMeta) {
  const server = await getServerOrThrow(actor, serverId);
  assertCan(actor, 'media-users:manage');
  const user = await mediaUserOrThrow(serverId, userId);
  const provider = providerForServer(server);
  let before: LibraryAccess | null = null;
  try {
    before = await provider.getLibraryAccess(user.externalId).catch(() => null);
    await provider.setLibraryAccess(user.externalId, access);
  } catch (err) {
    // not_found: a library or share the server does not have — the request's fault, not the server's.
    throw toAppError(err, isMediaServerError(err) && err.code === 'not_found' ? 422 : 502);
  }
  await recordAudit({ actor, action: 'media_user.library_access', target: { type: 'media_user', id: user.id }, meta, detail: { serverId, mediaUser: user.name, before, after: access } });
  return access;
}
