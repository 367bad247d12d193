// Queuing a server's next poll. Kept apart from server-poll.ts (which imports lib/servers) so that
// lib/servers can call enqueueServerPoll after creating or enabling a server without an import cycle.
import { jobs } from './definitions';

/**
 * Queues a poll of this server at `at` (default now). At most one poll per server is ever queued
 * (policy `short`, singletonKey = server id): when one already is, this is a no-op returning null.
 * The delay is sent relative to now, so a clock difference between this host and PostgreSQL
 * does not shift it.
 */
export async function enqueueServerPoll(serverId: string, at: Date | null = null): Promise<string | null> {
  const delayS = at ? Math.max(0, (at.getTime() - Date.now()) / 1000) : 0;
  return jobs.serverPoll.enqueue({ serverId }, { singletonKey: serverId, ...(delayS > 0 ? { startAfter: Math.round(delayS * 1000) / 1000 } : {}) });
}
