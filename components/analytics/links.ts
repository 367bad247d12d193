// Where a click on an analytics row or bar leads: the /history filter showing exactly the plays it
// counts (the filter names of lib/history/schemas.ts). Pure, unit-tested.
import { addDays, parseDay, safeTimezone, startOfLocalDay } from '@/lib/tracker/day-buckets';
import type { TopKey } from './types';

/** The range and server the analytics view shows; `from`/`to` are the report's resolved instants. */
export interface LinkScope {
  from: string;
  to: string;
  serverId?: string;
}

type HistoryFilters = Partial<Record<'from' | 'to' | 'serverId' | 'library' | 'mediaUser' | 'mediaType' | 'decision' | 'q', string>>;

export function historyHref(filters: HistoryFilters): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(filters)) if (v) q.set(k, v);
  const s = q.toString();
  return s ? `/history?${s}` : '/history';
}

// A report's range and history's filter read `to` the same way (startedAt <= to), so the report's
// resolved instants are passed on as they are: the history lists exactly the plays counted.
function scoped(scope: LinkScope, filters: HistoryFilters): string {
  return historyHref({ ...filters, from: scope.from, to: scope.to, serverId: scope.serverId });
}

/** The history of one top-list row; undefined for lists history cannot filter on (platforms, players, devices) or a row without a name. */
export function topRowHref(category: TopKey, name: string | null, scope: LinkScope): string | undefined {
  if (!name) return undefined;
  switch (category) {
    case 'users':
      return scoped(scope, { mediaUser: name });
    case 'movies':
      return scoped(scope, { q: name, mediaType: 'movie' });
    case 'shows':
      return scoped(scope, { q: name, mediaType: 'episode' });
    case 'libraries':
      return scoped(scope, { library: name });
    default:
      return undefined;
  }
}

const DECISIONS = ['directplay', 'directstream', 'transcode'];

/** The history of one stream decision, when it is one history can filter on. */
export function decisionHref(name: string | null, scope: LinkScope): string | undefined {
  return name && DECISIONS.includes(name) ? scoped(scope, { decision: name }) : undefined;
}

/** The history of one calendar day (YYYY-MM-DD) in the report's timezone, DST-correct. */
export function dayHref(date: string, timezone: string, serverId?: string): string | undefined {
  const day = parseDay(date);
  if (!day) return undefined;
  const next = parseDay(addDays(date, 1))!;
  const tz = safeTimezone(timezone);
  const from = startOfLocalDay(day.y, day.m, day.d, tz);
  const to = startOfLocalDay(next.y, next.m, next.d, tz);
  return historyHref({ from: new Date(from).toISOString(), to: new Date(to - 1).toISOString(), serverId });
}
