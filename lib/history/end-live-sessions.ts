// Closing a server's whole live snapshot: every session it held gets a stop event.
import { db } from '../db';
import type { ProviderSession } from '../media-servers';
import { stopEvent, type StopReason } from './events';

/**
 * The statements that drop a server's whole live snapshot and close each session in the playback
 * history with a stop event (`reason`), for the caller's transaction: a batch (`db`, the default)
 * or, given `tx`, an interactive one where the caller awaits them in order. The caller also bumps
 * the server's `snapshotVersion` (so a poller's in-memory copy of the snapshot is reloaded).
 */
export async function endLiveSessions(serverId: string, at: Date, reason: StopReason, client: Pick<typeof db, 'liveSession' | 'playbackEvent'> = db) {
  const live = await client.liveSession.findMany({ where: { serverId }, select: { sessionKey: true, data: true } });
  return [
    client.liveSession.deleteMany({ where: { serverId } }),
    client.playbackEvent.createMany({ data: live.map((r) => stopEvent(serverId, r.sessionKey, r.data as unknown as ProviderSession, at, reason)) }),
  ];
}
