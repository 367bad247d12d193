import { db } from '../db';
import { assertCan, serverScope } from '../auth/permissions';
import type { Actor } from '../auth/actor';
import { BANDWIDTH_WINDOW_MS, type BandwidthPoint } from './bandwidth-window';

export type { BandwidthPoint };

/**
 * Samples per visible server over the last hour. `after` (server id → ISO time of the newest sample
 * the caller already has) narrows those servers to the samples after it, so a live stream sends
 * each sample once. A server's samples are written by its polls one after another with growing
 * times, so a per-server cursor misses none, even when another server's slower poll commits an
 * older sample later.
 */
export async function getBandwidth(actor: Actor, after: Record<string, string> = {}): Promise<Record<string, BandwidthPoint[]>> {
  assertCan(actor, 'servers:view');
  const windowStart = new Date(Date.now() - BANDWIDTH_WINDOW_MS);
  const cursors = Object.entries(after).map(([serverId, at]) => ({ serverId, at: { gt: new Date(Math.max(Date.parse(at), windowStart.getTime())) } }));
  const rows = await db.bandwidthSample.findMany({
    where: {
      server: serverScope(actor),
      OR: [...cursors, { serverId: { notIn: Object.keys(after) }, at: { gte: windowStart } }],
    },
    orderBy: { at: 'asc' },
    select: { serverId: true, at: true, totalKbps: true, lanKbps: true, wanKbps: true, streams: true },
  });
  const out: Record<string, BandwidthPoint[]> = {};
  for (const r of rows) (out[r.serverId] ??= []).push({ at: r.at.toISOString(), totalKbps: r.totalKbps, lanKbps: r.lanKbps, wanKbps: r.wanKbps, streams: r.streams });
  return out;
}
