// Server CRUD: admins add/edit/delete after a live connection test; tokens are sealed at rest.
import { randomUUID } from 'node:crypto';
import { db } from '../db';
import { decryptString, encryptString } from '../crypto/encryption';
import { env } from '../env';
import { recordAudit } from '../audit';
import { AppError, notFound } from '../http/errors';
import { assertCan, serverScope } from '../auth/permissions';
import type { Actor, RequestMeta } from '../auth/actor';
import type { ServerIdentity } from '../media-servers';
import type { MediaServer, Prisma } from '@/generated/prisma/client';
import { closeServerPlays, endLiveSessions } from '../history';
import { providerForInput, toAppError } from './provider';
import { publicServer } from './serialize';
import type { CreateServerInput, TestServerInput, UpdateServerInput } from './schemas';
import { publishLive } from './live-bus';
import { enqueueServerPoll } from '../jobs/server-poll-queue';
import { logger, errorFields } from '../logger';
import { endMediaUserSessions } from '../auth/media-sign-in';

export async function testServerConnection(actor: Actor, input: TestServerInput): Promise<ServerIdentity> {
  assertCan(actor, 'servers:manage');
  try {
    return await providerForInput(input).testConnection();
  } catch (err) {
    throw toAppError(err);
  }
}

export async function listServers(actor: Actor) {
  assertCan(actor, 'servers:view');
  const rows = await db.mediaServer.findMany({ where: serverScope(actor), orderBy: { name: 'asc' } });
  return rows.map(publicServer);
}

export async function getServerOrThrow(actor: Actor, id: string) {
  assertCan(actor, 'servers:view');
  const row = await db.mediaServer.findFirst({ where: { AND: [{ id }, serverScope(actor)] } });
  if (!row) throw notFound('Server');
  return row;
}

export async function createServer(actor: Actor, input: CreateServerInput, meta?: RequestMeta) {
  const identity = await testServerConnection(actor, input);
  const id = randomUUID();
  const row = await db.mediaServer.create({
    data: {
      id,
      type: input.type,
      name: input.name,
      url: input.url.replace(/\/+$/, ''),
      tokenEnc: encryptString(input.token, undefined, `server:${id}`),
      machineId: identity.machineId,
      version: identity.version,
      enabled: input.enabled ?? true,
      pollIntervalS: input.pollIntervalS ?? env.POLL_INTERVAL_S,
      health: 'ok',
      lastOkAt: new Date(),
    },
  });
  await recordAudit({ actor, action: 'server.create', target: { type: 'media_server', id: row.id }, meta, detail: { type: row.type, name: row.name, url: row.url, machineId: row.machineId } });
  if (row.enabled) await startPolling(row.id);
  return publicServer(row);
}

/**
 * Queues a first poll now, so a server just added or enabled shows its sessions within seconds
 * rather than at the next minute's reconcile (which still covers a failure here).
 */
async function startPolling(serverId: string): Promise<void> {
  await enqueueServerPoll(serverId).catch((err) => logger.warn('could not queue the first poll; the reconcile will', { serverId, ...errorFields(err) }));
}

export async function updateServer(actor: Actor, id: string, input: UpdateServerInput, meta?: RequestMeta) {
  assertCan(actor, 'servers:manage');
  const current = await getServerOrThrow(actor, id);
  const data: Prisma.MediaServerUpdateInput = {};
  if (input.name !== undefined) data.name = input.name;
  if (input.pollIntervalS !== undefined) data.pollIntervalS = input.pollIntervalS;
  if (input.mediaUserSignIn !== undefined) data.mediaUserSignIn = input.mediaUserSignIn;
  if (input.url !== undefined && input.token === undefined && !isSameOrigin(input.url, current.url)) {
    // The stored token is only ever sent where it was entered for: a new host, port or scheme
    // (possibly someone else's server) must be given the token again.
    throw new AppError('token_required', "Changing the server's address to another host, port or scheme needs its token again: send `token` with the new `url`.", { status: 422 });
  }
  if (input.url !== undefined || input.token !== undefined) {
    const token = input.token ?? decryptString(current.tokenEnc, undefined, `server:${id}`);
    const url = input.url ?? current.url;
    const identity = await testServerConnection(actor, { type: current.type, url, token });
    Object.assign(data, { url: url.replace(/\/+$/, ''), tokenEnc: encryptString(token, undefined, `server:${id}`), machineId: identity.machineId, version: identity.version, health: 'ok', lastError: null, consecutiveFailures: 0, nextPollAt: null });
  }
  const row = input.enabled === undefined ? await db.mediaServer.update({ where: { id }, data }) : await setServerEnabled(id, input.enabled, data);
  // Media-user sign-in turned off: the media users signed in through this server are signed out now.
  const mediaSessionsEnded = input.mediaUserSignIn === false && current.mediaUserSignIn ? await endMediaUserSessions(id) : undefined;
  await recordAudit({
    actor,
    action: 'server.update',
    target: { type: 'media_server', id },
    meta,
    detail: {
      fields: Object.keys(input).filter((k) => k !== 'token'),
      tokenChanged: input.token !== undefined,
      ...(input.mediaUserSignIn !== undefined && input.mediaUserSignIn !== current.mediaUserSignIn ? { mediaUserSignIn: input.mediaUserSignIn } : {}),
      ...(mediaSessionsEnded !== undefined ? { mediaSessionsEnded } : {}),
    },
  });
  if (input.enabled === false) await publishLive(id);
  if (row.enabled && (input.enabled === true || input.url !== undefined || input.token !== undefined)) await startPolling(id);
  return publicServer(row);
}

function isSameOrigin(a: string, b: string): boolean {
  try {
    return new URL(a).origin === new URL(b).origin;
  } catch {
    return false;
  }
}

export async function deleteServer(actor: Actor, id: string, meta?: RequestMeta) {
  assertCan(actor, 'servers:manage');
  const row = await getServerOrThrow(actor, id);
  await db.mediaServer.delete({ where: { id } });
  await endMediaUserSessions(id);
  // Its plays stay (history survives its sources); the ones still open end now.
  await closeServerPlays(id, new Date(), 'server_deleted');
  await recordAudit({ actor, action: 'server.delete', target: { type: 'media_server', id }, meta, detail: { name: row.name, type: row.type } });
  await publishLive(id);
}

/**
 * Enables or disables a server. Disabling drops its live snapshot and writes the stop events in the
 * same transaction as the flag, after taking the server row's lock (which a poll's write also
 * takes: see lib/servers/poll-write.ts), so a poll in flight can neither slip sessions in
 * afterwards nor have its sessions left open. Either way the snapshot version moves on, so a
 * poller's in-memory copy of the old snapshot is not reused.
 */
export async function setServerEnabled(id: string, enabled: boolean, data: Prisma.MediaServerUpdateInput = {}): Promise<MediaServer> {
  const change = { ...data, enabled, snapshotVersion: { increment: 1 } };
  if (enabled) return db.mediaServer.update({ where: { id }, data: change });
  const at = new Date();
  const row = await db.$transaction(async (tx) => {
    const row = await tx.mediaServer.update({ where: { id }, data: change });
    for (const statement of await endLiveSessions(id, at, 'server_disabled', tx)) await statement;
    return row;
  });
  await closeServerPlays(id, at, 'server_disabled');
  return row;
}
