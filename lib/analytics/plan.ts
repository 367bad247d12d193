// Which parts of a range the rollups answer (pure, unit-tested). A bucket (UTC hour, day, quarter of
// a month: days 1-8, 9-16, 17-24, 25-end, or month)
// is used when it lies wholly inside the range, before the rollups' watermark, and holds no dirty
// hour; everything else (the ragged ends, recent hours, dirty hours) is read from the plays.
export type Grain = 'hour' | 'day' | 'quarter' | 'month';

/** Days of the month a quarter starts on. */
export const QUARTER_DAYS = [1, 9, 17, 25];
/** [start, end) in ms since the epoch. */
export type Interval = [number, number];
export interface Plan {
  covered: Record<Grain, Interval[]>;
  raw: Interval[];
}

export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

function bucketEnd(t: number, g: Grain): number | null {
  if (g === 'hour') return t % HOUR_MS === 0 ? t + HOUR_MS : null;
  if (g === 'day') return t % DAY_MS === 0 ? t + DAY_MS : null;
  const d = new Date(t);
  if (g === 'quarter') return t % DAY_MS === 0 && QUARTER_DAYS.includes(d.getUTCDate()) ? quarterEnd(t) : null;
  if (t % DAY_MS !== 0 || d.getUTCDate() !== 1) return null;
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
}

/** End of the quarter-month holding t. */
export function quarterEnd(t: number): number {
  const d = new Date(t);
  const next = QUARTER_DAYS.find((q) => q > d.getUTCDate());
  return next ? Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), next) : Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
}

/** Start of the quarter-month holding t. */
export function quarterStart(t: number): number {
  const d = new Date(t);
  const q = [...QUARTER_DAYS].reverse().find((x) => x <= d.getUTCDate())!;
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), q);
}

function push(list: Interval[], a: number, b: number) {
  const last = list[list.length - 1];
  if (last && last[1] === a) last[1] = b;
  else list.push([a, b]);
}

/** First index of `sorted` holding a value >= x. */
function lowerBound(sorted: number[], x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Splits [from, toExcl) into rollup buckets of the given grains (coarsest first) and raw intervals.
 * `watermark` null: nothing is rolled up. `dirty`: sorted starts of UTC hours that must be read raw.
 */
export function planRange(from: number, toExcl: number, grains: Grain[], watermark: number | null, dirty: number[]): Plan {
  const plan: Plan = { covered: { hour: [], day: [], quarter: [], month: [] }, raw: [] };
  if (toExcl <= from) return plan;
  if (watermark === null || grains.length === 0) {
    plan.raw.push([from, toExcl]);
    return plan;
  }
  const usable = (a: number, b: number) => b <= toExcl && b <= watermark && (() => {
    const i = lowerBound(dirty, a);
    return i >= dirty.length || dirty[i]! >= b;
  })();
  let t = from;
  while (t < toExcl) {
    let took = false;
    for (const g of grains) {
      const e = bucketEnd(t, g);
      if (e !== null && usable(t, e)) {
        push(plan.covered[g], t, e);
        t = e;
        took = true;
        break;
      }
    }
    if (took) continue;
    const next = Math.min(toExcl, Math.floor(t / HOUR_MS) * HOUR_MS + HOUR_MS);
    push(plan.raw, t, next);
    t = next;
  }
  return plan;
}

/** True when the timezone's UTC offset is a whole number of hours everywhere in the range (hourly UTC buckets map onto local hours). */
export function wholeHourOffsets(from: number, toExcl: number, offsetAt: (t: number) => number): boolean {
  const step = DAY_MS;
  for (let t = from; t < toExcl + step; t += step) {
    if (offsetAt(Math.min(t, toExcl)) % 60 !== 0) return false;
  }
  return true;
}
