// POST /api/webhooks/{plex|jellyfin|emby}: the secret first (before a byte of the body is read),
// then the bounded body, the sender's parser, and the play rules. A stop closes the play at once.
// Events of servers or users Marquee does not know are acknowledged (the sender must not retry
// them forever) and ignored.
import { ZodError } from 'zod';
import { db } from '../../db';
import { AppError } from '../../http/errors';
import { json } from '../../http/respond';
import { enforceRateLimit, POLICIES } from '../../rate-limit';
import { authenticateWebhook, readWebhookPayload, type MediaServerSource } from '../../webhooks';
import { playEventFromWebhook, recordPlayEvents } from '../record';
import { parseMediaServerWebhook } from './index';
import type { WebhookPlaybackEvent } from './types';

function clientKey(req: Request): string {
  // scripts/web-server.ts rewrites X-Forwarded-For from the socket (TRUST_PROXY decides what is kept).
  return req.headers.get('x-forwarded-for')?.split(',')[0]?.trim() || 'unknown';
}

/** The enabled-or-not server of this type the event names, if Marquee has it. */
async function findServer(source: MediaServerSource, e: WebhookPlaybackEvent) {
  if (!e.serverIdentity) return null;
  return db.mediaServer.findFirst({ where: { type: source, machineId: e.serverIdentity }, select: { id: true, name: true } });
}

/** Known user: matched by id, else by name; a server whose users were never synced accepts any. */
async function isKnownUser(serverId: string, e: WebhookPlaybackEvent): Promise<boolean> {
  const { id, name } = e.mediaUser;
  if (!id && !name) return false;
  const synced = await db.mediaUser.count({ where: { serverId } });
  if (synced === 0) return true;
  const match = await db.mediaUser.count({
    where: { serverId, OR: [...(id ? [{ externalId: id }] : []), ...(name ? [{ name: { equals: name, mode: 'insensitive' as const } }] : [])] },
  });
  return match > 0;
}

export async function receiveMediaServerWebhook(source: MediaServerSource, req: Request): Promise<Response> {
  await enforceRateLimit(clientKey(req), POLICIES.webhook);
  await authenticateWebhook(req);
  const payload = await readWebhookPayload(req);
  let event;
  try {
    event = parseMediaServerWebhook(source, payload);
  } catch (err) {
    if (err instanceof ZodError) throw new AppError('bad_request', `This is not a ${source} playback event we can read: ${err.issues[0]?.path.join('.') || 'body'} is missing or malformed.`, { status: 400 });
    throw err;
  }
  if (event.kind === 'ignored') return json({ ok: true, ignored: event.event || 'event' });
  const server = await findServer(source, event);
  if (!server) return json({ ok: true, ignored: 'unknown_server' });
  if (!(await isKnownUser(server.id, event))) return json({ ok: true, ignored: 'unknown_user' });
  await recordPlayEvents([playEventFromWebhook(event, server)]);
  return json({ queued: 1 }, { status: 202 });
}
