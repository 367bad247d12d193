// Stream-decision and resolution breakdowns (every value; a play without one counts as "unknown").
import type { Ctx } from './context';
import { BREAKDOWN_KINDS, type BreakdownKind } from './dims';
import { queryDims, type TopRow } from './top';

export async function queryBreakdowns(ctx: Ctx): Promise<Record<BreakdownKind, TopRow[]>> {
  return queryDims(ctx, BREAKDOWN_KINDS, { limit: null, unknown: true });
}
