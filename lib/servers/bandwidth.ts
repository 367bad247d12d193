import { db } from '../db';
import { assertCan, serverScope } from '../auth/permissions';
import type { Actor } from '../auth/actor';

export interface BandwidthPoint { at: string; totalKbps: number; lanKbps: number; wanKbps: number; streams: number }

/** Samples per visible server since `sinceMs` ago (default: the last hour). */
export async function getBandwidth(actor: Actor, sinceMs = 60 * 60 * 1000): Promise<Record<string, BandwidthPoint[]>> {
  assertCan(actor, 'servers:view');
  const since = new Date(Date.now() - sinceMs);
  const rows = await db.bandwidthSample.findMany({
    where: { at: { gte: since }, server: serverScope(actor) },
    orderBy: { at: 'asc' },
    select: { serverId: true, at: true, totalKbps: true, lanKbps: true, wanKbps: true, streams: true },
  });
  const out: Record<string, BandwidthPoint[]> = {};
  for (const r of rows) (out[r.serverId] ??= []).push({ at: r.at.toISOString(), totalKbps: r.totalKbps, lanKbps: r.lanKbps, wanKbps: r.wanKbps, streams: r.streams });
  return out;
}
