// The analytics view's filters as they live in the page URL (`/analytics?range=30d&serverId=…`), so
// a view can be shared, and as they are sent to GET /api/analytics. Pure, unit-tested.
import { DEFAULT_RANGE, RANGE_KEYS, type RangeKey } from './types';

export interface AnalyticsParams {
  /** A preset, or 'custom' when `from` and `to` are set. */
  range: RangeKey | 'custom';
  /** Custom range days (YYYY-MM-DD), both set or both absent. */
  from?: string;
  to?: string;
  serverId?: string;
  /** An IANA timezone overriding the account's. */
  tz?: string;
}

type RawParams = URLSearchParams | Record<string, string | string[] | undefined>;

const DAY = /^\d{4}-\d{2}-\d{2}$/;

function read(raw: RawParams, key: string): string | undefined {
  const v = raw instanceof URLSearchParams ? raw.get(key) : raw[key];
  const s = Array.isArray(v) ? v[0] : v;
  return typeof s === 'string' && s.trim() !== '' ? s.trim() : undefined;
}

function isDay(v: string | undefined): v is string {
  return v !== undefined && DAY.test(v) && !Number.isNaN(Date.parse(`${v}T00:00:00Z`));
}

/** Reads the filters from a URL; anything unrecognised falls back to the default 7 days. */
export function parseAnalyticsParams(raw: RawParams): AnalyticsParams {
  const from = read(raw, 'from');
  const to = read(raw, 'to');
  const serverId = read(raw, 'serverId');
  const tz = read(raw, 'tz');
  const base = { ...(serverId ? { serverId } : {}), ...(tz ? { tz } : {}) };
  if (isDay(from) && isDay(to)) return from <= to ? { range: 'custom', from, to, ...base } : { range: 'custom', from: to, to: from, ...base };
  const range = read(raw, 'range');
  const key = (RANGE_KEYS as readonly string[]).includes(range ?? '') ? (range as RangeKey) : DEFAULT_RANGE;
  return { range: key, ...base };
}

/**
 * The query string (no leading `?`) for the page URL or the API. The default range is left out of
 * page URLs (`/analytics` is the last 7 days) but always sent to the API.
 */
export function analyticsSearch(p: AnalyticsParams, opts: { forApi?: boolean; limit?: number } = {}): string {
  const q = new URLSearchParams();
  if (p.range === 'custom' && p.from && p.to) {
    q.set('from', p.from);
    q.set('to', p.to);
  } else if (p.range !== 'custom' && (opts.forApi || p.range !== DEFAULT_RANGE)) {
    q.set('range', p.range);
  }
  if (p.serverId) q.set('serverId', p.serverId);
  if (p.tz) q.set('tz', p.tz);
  if (opts.limit !== undefined) q.set('limit', String(opts.limit));
  return q.toString();
}

export function analyticsHref(p: AnalyticsParams): string {
  const s = analyticsSearch(p);
  return s ? `/analytics?${s}` : '/analytics';
}

export function analyticsApiPath(p: AnalyticsParams, limit?: number): string {
  return `/api/analytics?${analyticsSearch(p, { forApi: true, limit })}`;
}

export const RANGE_LABELS: Record<RangeKey | 'custom', string> = {
  '24h': '24 hours',
  '7d': '7 days',
  '30d': '30 days',
  '180d': '180 days',
  '365d': '365 days',
  custom: 'Custom',
};
