// Analytics over the plays of lib/history (PRODUCT.md §5, §9 GET /api/analytics): the same plays,
// scope and range as history and its export, one query per report (umami's src/queries/sql shape),
// answered from rollups (lib/analytics/rollups.ts) for whole buckets and from the plays for the rest.
import { assertCan } from '../auth/permissions';
import type { Actor } from '../auth/actor';
import { buildCtx, type Mode } from './context';
import { queryBreakdowns } from './breakdowns';
import { queryConcurrent, type DayPeak } from './concurrent';
import { queryHourByWeekday, type HourCell } from './hour-by-weekday';
import { queryPlaysPerDay, type DayPlays } from './plays-per-day';
import { resolveAnalyticsQuery, type RangeKey } from './query';
import { querySummary, type Summary } from './summary';
import { queryTop, type TopRow } from './top';
import type { TopKind } from './dims';

export { analyticsQuerySchema, resolveAnalyticsQuery, RANGE_KEYS, type AnalyticsQuery, type RangeKey } from './query';
export { TOP_KINDS, BREAKDOWN_KINDS, type TopKind } from './dims';
export { rebuildRollups, refreshRollups, rollupStatus } from './rollups';
export type { Summary, TopRow, DayPlays, HourCell, DayPeak };

export interface Analytics {
  range: { key: RangeKey | 'custom'; from: string; to: string; timezone: string };
  summary: Summary;
  top: Record<TopKind, TopRow[]>;
  playsPerDay: DayPlays[];
  hourByWeekday: HourCell[];
  concurrent: DayPeak[];
  decisions: TopRow[];
  resolutions: TopRow[];
}

/**
 * Every report for the plays the actor may see (history:view scope) in the range. `query` holds
 * GET /api/analytics's parameters (strings or numbers); a bad one throws a 400 AppError.
 * `mode: 'raw'` ignores the rollups (tests compare both ways).
 */
export async function getAnalytics(actor: Actor, query: Record<string, unknown> = {}, opts: { mode?: Mode; now?: Date } = {}): Promise<Analytics> {
  assertCan(actor, 'history:view');
  const q = resolveAnalyticsQuery(actor, query, opts.now);
  const ctx = await buildCtx(actor, q, opts.mode ?? 'auto');
  const [summary, top, playsPerDay, hourByWeekday, concurrent, breakdowns] = await Promise.all([
    querySummary(ctx),
    queryTop(ctx),
    queryPlaysPerDay(ctx),
    queryHourByWeekday(ctx),
    queryConcurrent(ctx),
    queryBreakdowns(ctx),
  ]);
  return {
    range: { key: q.key, from: q.from.toISOString(), to: q.to.toISOString(), timezone: q.tz },
    summary,
    top,
    playsPerDay,
    hourByWeekday,
    concurrent,
    decisions: breakdowns.decisions,
    resolutions: breakdowns.resolutions,
  };
}
