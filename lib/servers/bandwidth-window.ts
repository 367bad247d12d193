// The dashboard's bandwidth series (pure: the browser imports it too).
export interface BandwidthPoint { at: string; totalKbps: number; lanKbps: number; wanKbps: number; streams: number }

/** How far back the dashboard's bandwidth charts reach. */
export const BANDWIDTH_WINDOW_MS = 60 * 60 * 1000;

/**
 * The series a client holds after a new view: a full view (the first of a stream) replaces them; a
 * later one (`bandwidthAppend`) carries only the new samples, appended here, and what left the window
 * is dropped.
 */
export function mergeBandwidth(
  held: Record<string, BandwidthPoint[]>,
  next: { bandwidth: Record<string, BandwidthPoint[]>; bandwidthAppend: boolean; at: string },
): Record<string, BandwidthPoint[]> {
  if (!next.bandwidthAppend) return next.bandwidth;
  const windowStart = Date.parse(next.at) - BANDWIDTH_WINDOW_MS;
  const out: Record<string, BandwidthPoint[]> = {};
  for (const id of new Set([...Object.keys(held), ...Object.keys(next.bandwidth)])) {
    out[id] = [...(held[id] ?? []), ...(next.bandwidth[id] ?? [])].filter((p) => Date.parse(p.at) >= windowStart);
  }
  return out;
}
