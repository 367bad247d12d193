// What every report query shares: the caller's scope split into whole servers (read from the
// rollups) and single (server, media user) pairs (read from the plays, through their index), the
// rollups' state, and the SQL pieces that stitch rollup rows and raw plays together.
import { Prisma } from '@/generated/prisma/client';
import type { Actor } from '../auth/actor';
import { db } from '../db';
import { historyWhere, parseMediaUserPair, scopeSql } from '../history/read';
import { offsetMinutes } from '../tracker/day-buckets';
import { planRange, wholeHourOffsets, type Grain, type Interval, type Plan } from './plan';
import type { ResolvedQuery } from './query';

export interface Ctx {
  actor: Actor;
  q: ResolvedQuery;
  /** Exclusive end of the range (to + 1 ms: `to` is inclusive, as in history). */
  toExcl: number;
  /** Servers whose every play is in scope (rollups hold them); 'all' for admins without a server filter. */
  servers: 'all' | string[];
  /** Plays in scope through single (server, media user) pairs (read raw for the whole range). */
  pairs: Prisma.Sql | null;
  watermark: number | null;
  dirty: number[];
  /** The timezone's offset is whole hours over the range: UTC hour buckets are local hours. */
  wholeHours: boolean;
}

export type Mode = 'auto' | 'raw';

function splitScope(actor: Actor, serverId: string | null): { servers: 'all' | string[]; pairs: Prisma.Sql | null } {
  const keep = (ids: string[]) => (serverId === null ? ids : ids.filter((s) => s === serverId));
  if (actor.kind === 'system' || actor.role === 'admin') return { servers: serverId === null ? 'all' : [serverId], pairs: null };
  if (actor.role === 'staff' || actor.role === 'support') return { servers: keep(actor.serverIds), pairs: null };
  const parsed = actor.mediaUsers.map(parseMediaUserPair).filter((p) => p !== null);
  const whole = keep([...new Set(parsed.filter((p) => p.mediaUserId === null).map((p) => p.serverId))]);
  const single = parsed.filter((p) => p.mediaUserId !== null && !whole.includes(p.serverId) && (serverId === null || p.serverId === serverId));
  const pairs = single.length
    ? Prisma.sql`(${Prisma.join(single.map((p) => Prisma.sql`(p."serverId" = ${p.serverId} AND p."mediaUserId" = ${p.mediaUserId})`), ' OR ')})`
    : null;
  return { servers: whole, pairs };
}

export async function buildCtx(actor: Actor, q: ResolvedQuery, mode: Mode = 'auto'): Promise<Ctx> {
  const toExcl = q.to.getTime() + 1;
  const { servers, pairs } = splitScope(actor, q.serverId);
  let watermark: number | null = null;
  let dirty: number[] = [];
  if (mode === 'auto' && (servers === 'all' || servers.length > 0)) {
    const [state] = await db.$queryRaw<{ watermark: Date | null; dirty: Date[] | null }[]>`
      SELECT s."watermark", (SELECT array_agg(d."hour" ORDER BY d."hour") FROM "AnalyticsDirtyHour" d
        WHERE d."hour" >= ${new Date(q.from.getTime() - 86_400_000).toISOString()}::timestamp AND d."hour" < ${new Date(toExcl).toISOString()}::timestamp) AS "dirty"
      FROM "AnalyticsState" s WHERE s."id" = 'default'`;
    watermark = state?.watermark ? state.watermark.getTime() : null;
    dirty = (state?.dirty ?? []).map((d) => d.getTime());
  }
  const wholeHours = wholeHourOffsets(q.from.getTime(), toExcl, (t) => offsetMinutes(t, q.tz));
  return { actor, q, toExcl, servers, pairs, watermark, dirty, wholeHours };
}

/** `local`: the report buckets by local time, so UTC hours serve only when they are whole local hours. */
export function plan(ctx: Ctx, grains: Grain[], opts: { extraDirty?: number[]; local?: boolean; raw?: boolean } = {}): Plan {
  const extra = opts.extraDirty ?? [];
  const dirty = extra.length ? [...new Set([...ctx.dirty, ...extra])].sort((a, b) => a - b) : ctx.dirty;
  const usable = (ctx.servers === 'all' || ctx.servers.length > 0) && (!opts.local || ctx.wholeHours) && !opts.raw;
  return planRange(ctx.q.from.getTime(), ctx.toExcl, grains, usable ? ctx.watermark : null, dirty);
}

/** The grains of AnalyticsDim, coarsest first. */
export const DIM_GRAINS: Grain[] = ['month', 'quarter', 'day'];

export const ts = (ms: number | Date) => new Date(ms).toISOString();

/** Rollup rows of the servers in scope (`col`: the rollup's server column; "*" rows: all servers together). */
export function serverCond(ctx: Ctx, col: string): Prisma.Sql {
  if (ctx.servers === 'all') return Prisma.sql`${Prisma.raw(col)} = '*'`;
  if (ctx.servers.length === 0) return Prisma.sql`FALSE`;
  return Prisma.sql`${Prisma.raw(col)} IN (${Prisma.join(ctx.servers)})`;
}

const intervalsSql = (col: string, list: Interval[]) =>
  list.length
    ? Prisma.sql`(${Prisma.join(list.map(([a, b]) => Prisma.sql`(${Prisma.raw(col)} >= ${ts(a)}::timestamp AND ${Prisma.raw(col)} < ${ts(b)}::timestamp)`), ' OR ')})`
    : Prisma.sql`FALSE`;

/** Rollup rows the plan takes from the rollups (`grainCol` null: a single-grain table). */
export function coveredSql(plan: Plan, grains: Grain[], bucketCol: string, grainCol: string | null): Prisma.Sql {
  const parts = grains
    .filter((g) => plan.covered[g].length)
    .map((g) => (grainCol ? Prisma.sql`(${Prisma.raw(grainCol)} = ${g} AND ${intervalsSql(bucketCol, plan.covered[g])})` : intervalsSql(bucketCol, plan.covered[g])));
  return parts.length ? Prisma.sql`(${Prisma.join(parts, ' OR ')})` : Prisma.sql`FALSE`;
}

export function hasCovered(plan: Plan): boolean {
  return plan.covered.hour.length + plan.covered.day.length + plan.covered.quarter.length + plan.covered.month.length > 0;
}

/**
 * The plays read raw: in scope and range (history's own WHERE) and not answered by the rollups:
 * in a raw interval, still open (rollups hold closed plays only), or in scope through a single pair.
 */
export function rawWhere(ctx: Ctx, plan: Plan): Prisma.Sql {
  const base = historyWhere(ctx.actor, { from: ts(ctx.q.from), to: ts(ctx.q.to), serverId: ctx.q.serverId ?? undefined });
  if (!hasCovered(plan)) return base;
  const parts = [intervalsSql('p."startedAt"', plan.raw), Prisma.sql`p."stoppedAt" IS NULL`];
  if (ctx.pairs) parts.push(ctx.pairs);
  return Prisma.sql`${base} AND (${Prisma.join(parts, ' OR ')})`;
}

/** The caller's scope (and server filter) over `p`, without the range. */
export function scopeWhere(ctx: Ctx): Prisma.Sql {
  return ctx.q.serverId ? Prisma.sql`${scopeSql(ctx.actor)} AND p."serverId" = ${ctx.q.serverId}` : scopeSql(ctx.actor);
}

/** Watched seconds as history gives them: a closed play's watchedS, an open one's so far (lib/history/queries.ts toPlayRow). */
export function watchSql(now: Date): Prisma.Sql {
  const n = Prisma.sql`${ts(now)}::timestamp`;
  return Prisma.sql`(CASE WHEN p."stoppedAt" IS NULL THEN GREATEST(0, floor(extract(epoch FROM (${n} - p."startedAt"))
    - CASE WHEN p."pausedSince" IS NULL THEN 0 ELSE GREATEST(0, extract(epoch FROM (${n} - p."pausedSince"))) END + 0.5)::bigint - p."pausedS")
    ELSE p."watchedS" END)`;
}

/** movie | episode | track | other (live and anything else). */
export const MEDIA_CLASS_SQL = Prisma.raw(`(CASE p."mediaType" WHEN 'movie' THEN 'movie' WHEN 'episode' THEN 'episode' WHEN 'track' THEN 'track' ELSE 'other' END)`);

/** Local timestamp of a UTC timestamp column in the query's timezone. */
export function localSql(ctx: Ctx, col: string): Prisma.Sql {
  return Prisma.sql`((${Prisma.raw(col)} AT TIME ZONE 'UTC') AT TIME ZONE ${ctx.q.tz})`;
}
