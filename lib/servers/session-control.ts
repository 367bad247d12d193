// Acting on live sessions, in one place for an admin's "stop this stream" and for the rules:
// ask the media server to end the session, then close it in the live snapshot and the history.
import { db } from '../db';
import { recordAudit } from '../audit';
import { systemActor } from '../auth/actor';
import type { MediaServerProvider, ProviderSession } from '../media-servers';
import { playEventFromPoll, recordPlayEvents, stopEvent, type StopReason } from '../history';
import { dropFromSnapshot } from './snapshot-cache';
import type { RuleMatch } from './rules';

/** Asks the server to stop a session (showing `message` where the client supports it). */
export async function terminateOnServer(provider: MediaServerProvider, sessionKey: string, message: string | undefined): Promise<{ ok: true } | { ok: false; error: string; cause: unknown }> {
  try {
    await provider.terminateSession(sessionKey, message);
    return { ok: true };
  } catch (err) {
    return { ok: false, error: (err as Error).message, cause: err };
  }
}

/**
 * Drops these sessions from the server's live snapshot with a stop event each (`reason`), trusting
 * the server's answer that it ended them rather than listing its sessions again. Under the server
 * row's lock (which a poll's write and a disable also take) and only for the rows still there, so
 * a disable or a poll at the same moment cannot give a session a second stop event.
 * Returns the keys it closed.
 */
export async function closeLiveSessions(serverId: string, sessionKeys: string[], at: Date, reason: StopReason): Promise<string[]> {
  if (sessionKeys.length === 0) return [];
  const result = await db.$transaction(async (tx) => {
    const [server] = await tx.$queryRaw<{ version: number }[]>`
      UPDATE "MediaServer" SET "snapshotVersion" = "snapshotVersion" + 1 WHERE "id" = ${serverId} RETURNING "snapshotVersion" AS "version"`;
    if (!server) return null;
    const closed = await tx.$queryRaw<{ sessionKey: string; data: ProviderSession }[]>`
      DELETE FROM "LiveSession" WHERE "serverId" = ${serverId} AND "sessionKey" = ANY(${sessionKeys}::text[]) RETURNING "sessionKey", "data"`;
    await tx.playbackEvent.createMany({ data: closed.map((r) => stopEvent(serverId, r.sessionKey, r.data, at, reason)) });
    return { version: server.version, keys: closed.map((r) => r.sessionKey), closed };
  });
  if (!result) return [];
  dropFromSnapshot(serverId, result.keys, result.version);
  const server = await db.mediaServer.findUnique({ where: { id: serverId }, select: { name: true } });
  await recordPlayEvents(result.closed.map((r) => playEventFromPoll(stopEvent(serverId, r.sessionKey, r.data, at, reason), server?.name ?? '')));
  return result.keys;
}

/**
 * Carries out the rules' decisions on one server: stops each session (with the rule's message),
 * stores the firing for the UI, audits it, and closes the stopped sessions in the snapshot.
 * Returns how many sessions were stopped.
 */
export async function enforceRuleActions(server: { id: string; name: string }, provider: MediaServerProvider, due: RuleMatch[], now: Date): Promise<number> {
  const stopped: string[] = [];
  for (const { rule, session: s } of due) {
    const result = await terminateOnServer(provider, s.sessionKey, rule.message);
    const error = result.ok ? null : result.error;
    await db.ruleFiring.create({ data: { ruleId: rule.id, serverId: server.id, sessionKey: s.sessionKey, mediaUser: s.mediaUser, ok: result.ok, detail: error, firedAt: now } });
    await db.rulePending.deleteMany({ where: { ruleId: rule.id, serverId: server.id, sessionKey: s.sessionKey } });
    await recordAudit({
      actor: systemActor('server-rules'),
      action: result.ok ? 'rule.fire' : 'rule.fire_failed',
      target: { type: 'server_rule', id: rule.id },
      detail: { rule: rule.name, kind: rule.kind, serverId: server.id, serverName: server.name, sessionKey: s.sessionKey, mediaUser: s.mediaUser, title: s.title, sourceResolution: s.sourceResolution, streamResolution: s.streamResolution, message: rule.message, error },
    });
    if (result.ok) stopped.push(s.sessionKey);
  }
  await closeLiveSessions(server.id, stopped, now, 'rule');
  return stopped.length;
}
