// Session and day statistics from closed items (pure, unit-tested). Ghost items — under one second
// of active time, i.e. a double press or an item paused from start to end — are listed but left out
// of counts, totals, averages and pace, as in the tool this replaces.
import { formatHhmmss, formatMmss } from './state-machine';

export const DEFAULT_TARGET_S = 5.5 * 60;
const GHOST_BELOW_MS = 1000;

export interface ItemTimes {
  rawMs: number;
  activeMs: number;
}

export function isGhostItem(item: ItemTimes): boolean {
  return item.activeMs < GHOST_BELOW_MS;
}

export interface PaceStats {
  items: number;
  ghosts: number;
  totalRawS: number;
  totalActiveS: number;
  avgActiveS: number | null;
  targetS: number;
  /** Items per hour of active time. */
  itemsPerHour: number | null;
  /** 100 = exactly on target; above is faster (target ÷ average × 100). */
  paceScore: number | null;
  /** Seconds ahead of target (positive) or behind (negative) over the counted items. */
  aheadS: number;
  totalActiveHhmmss: string;
  avgActiveMmss: string | null;
  targetMmss: string;
}

export function summarizeItems(items: ItemTimes[], targetS: number): PaceStats {
  const counted = items.filter((i) => !isGhostItem(i));
  const totalRawMs = counted.reduce((a, i) => a + i.rawMs, 0);
  const totalActiveMs = counted.reduce((a, i) => a + i.activeMs, 0);
  return paceFrom(counted.length, items.length - counted.length, totalRawMs / 1000, totalActiveMs / 1000, targetS);
}

/** Weighted pace over several sessions: each counted item weighs the same, whatever its session's target. */
export function combinePace(parts: { stats: PaceStats }[]): PaceStats {
  const items = parts.reduce((a, p) => a + p.stats.items, 0);
  const ghosts = parts.reduce((a, p) => a + p.stats.ghosts, 0);
  const raw = parts.reduce((a, p) => a + p.stats.totalRawS, 0);
  const active = parts.reduce((a, p) => a + p.stats.totalActiveS, 0);
  const targetS = items > 0 ? parts.reduce((a, p) => a + p.stats.targetS * p.stats.items, 0) / items : DEFAULT_TARGET_S;
  return paceFrom(items, ghosts, raw, active, targetS);
}

function round3(n: number): number {
  return Math.round(n * 1000) / 1000;
}

function paceFrom(items: number, ghosts: number, totalRawS: number, totalActiveS: number, targetS: number): PaceStats {
  const avg = items > 0 ? totalActiveS / items : null;
  return {
    items,
    ghosts,
    totalRawS: round3(totalRawS),
    totalActiveS: round3(totalActiveS),
    avgActiveS: avg === null ? null : round3(avg),
    targetS: round3(targetS),
    itemsPerHour: avg ? Math.round((3600 / avg) * 10) / 10 : null,
    paceScore: avg ? Math.round((targetS / avg) * 1000) / 10 : null,
    aheadS: round3(items * targetS - totalActiveS),
    totalActiveHhmmss: formatHhmmss(totalActiveS),
    avgActiveMmss: avg === null ? null : formatMmss(avg),
    targetMmss: formatMmss(targetS),
  };
}
