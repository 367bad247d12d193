// The analytics query: its parameters (lenient strings, checked here so a bad one is a 400 with a
// code of its own) resolved into an instant range and a timezone.
import { z } from 'zod';
import { AppError } from '../http/errors';
import type { Actor } from '../auth/actor';
import { isValidTimezone, parseDay, startOfLocalDay, addDays } from '../tracker/day-buckets';

export const RANGE_KEYS = ['24h', '7d', '30d', '180d', '365d'] as const;
export type RangeKey = (typeof RANGE_KEYS)[number];
const RANGE_MS: Record<RangeKey, number> = { '24h': 86_400_000, '7d': 7 * 86_400_000, '30d': 30 * 86_400_000, '180d': 180 * 86_400_000, '365d': 365 * 86_400_000 };
/** A custom range spans at most ten years (playsPerDay has a row per day). */
export const MAX_RANGE_DAYS = 3660;

const text = z.string().trim().max(200).optional();
/** GET /api/analytics's query string (strings; `resolveAnalyticsQuery` checks them). */
export const analyticsQuerySchema = z.object({
  range: z.enum(RANGE_KEYS).optional().describe('24h | 7d (default) | 30d | 180d | 365d'),
  from: text.describe('custom range start, ISO 8601 (a bare YYYY-MM-DD is local midnight in tz); overrides range'),
  to: text.describe('custom range end, ISO 8601, inclusive (a bare YYYY-MM-DD is the end of that local day); default now'),
  serverId: text,
  tz: text.describe('IANA timezone for day and hour buckets; default the caller’s timezone'),
  limit: z.coerce.number().int().min(1).max(100).optional().describe('rows per top list, 1..100, default 10'),
});
export type AnalyticsQuery = z.input<typeof analyticsQuerySchema>;

export interface ResolvedQuery {
  key: RangeKey | 'custom';
  /** Plays with from <= startedAt <= to (to inclusive, as in history). */
  from: Date;
  to: Date;
  tz: string;
  serverId: string | null;
  limit: number;
  now: Date;
}

const str = (v: unknown): string | undefined => (v === undefined || v === null || v === '' ? undefined : String(v).trim());

function instant(v: string, tz: string, end: boolean, code: 'invalid_from' | 'invalid_to'): Date {
  const day = parseDay(v);
  if (day) {
    const start = startOfLocalDay(day.y, day.m, day.d, tz);
    if (!end) return new Date(start);
    const next = parseDay(addDays(v, 1))!;
    return new Date(startOfLocalDay(next.y, next.m, next.d, tz) - 1);
  }
  const d = /^\d{4}-\d{2}-\d{2}T/.test(v) ? new Date(v) : new Date(NaN);
  if (!Number.isNaN(d.getTime())) return d;
  if (code === 'invalid_from') throw new AppError('invalid_from', '`from` is not a valid ISO 8601 date or time.', { status: 400 });
  throw new AppError('invalid_to', '`to` is not a valid ISO 8601 date or time.', { status: 400 });
}

/** Checks and resolves the query for an actor (400 with a specific code on any bad parameter). */
export function resolveAnalyticsQuery(actor: Actor, raw: Record<string, unknown>, now: Date = new Date()): ResolvedQuery {
  const tz = str(raw.tz) ?? (actor.kind === 'user' ? actor.timezone : 'UTC') ?? 'UTC';
  if (!isValidTimezone(tz)) throw new AppError('invalid_timezone', '`tz` must be an IANA timezone such as America/New_York.', { status: 400 });
  const rangeRaw = str(raw.range);
  if (rangeRaw !== undefined && !(RANGE_KEYS as readonly string[]).includes(rangeRaw)) {
    throw new AppError('invalid_range', '`range` must be one of 24h, 7d, 30d, 180d, 365d (or give from and to).', { status: 400 });
  }
  const limitRaw = str(raw.limit);
  let limit = 10;
  if (limitRaw !== undefined) {
    limit = Number(limitRaw);
    if (!/^\d+$/.test(limitRaw) || limit < 1 || limit > 100) throw new AppError('invalid_limit', '`limit` must be a whole number from 1 to 100.', { status: 400 });
  }
  const serverId = str(raw.serverId) ?? null;
  if (serverId !== null && serverId.length > 200) throw new AppError('bad_request', '`serverId` is too long.', { status: 400 });
  const fromRaw = str(raw.from);
  const toRaw = str(raw.to);
  let key: ResolvedQuery['key'];
  let from: Date;
  let to: Date;
  if (fromRaw !== undefined || toRaw !== undefined) {
    if (fromRaw === undefined) throw new AppError('invalid_range', 'A custom range needs `from` (and optionally `to`).', { status: 400 });
    key = 'custom';
    from = instant(fromRaw, tz, false, 'invalid_from');
    to = toRaw === undefined ? now : instant(toRaw, tz, true, 'invalid_to');
    if (from > to) throw new AppError('invalid_range', '`from` must not be later than `to`.', { status: 400 });
    if (to.getTime() - from.getTime() > MAX_RANGE_DAYS * 86_400_000) throw new AppError('range_too_large', `A custom range spans at most ${MAX_RANGE_DAYS} days.`, { status: 400 });
  } else {
    key = (rangeRaw as RangeKey | undefined) ?? '7d';
    to = now;
    from = new Date(now.getTime() - RANGE_MS[key]);
  }
  return { key, from, to, tz, serverId, limit, now };
}
