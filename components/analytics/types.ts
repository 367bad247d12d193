// The answer of GET /api/analytics as it arrives in the browser (PRODUCT.md §9, pinned).
export const RANGE_KEYS = ['24h', '7d', '30d', '180d', '365d'] as const;
export type RangeKey = (typeof RANGE_KEYS)[number];
export const DEFAULT_RANGE: RangeKey = '7d';

export const TOP_KEYS = ['users', 'movies', 'shows', 'libraries', 'platforms', 'players', 'devices'] as const;
export type TopKey = (typeof TOP_KEYS)[number];

export interface TopRow {
  name: string | null;
  plays: number;
  watchTimeS: number;
}

export interface AnalyticsReport {
  range: { key: string; from: string; to: string; timezone: string };
  summary: { plays: number; activeUsers: number; watchTimeS: number; completionRate: number; transcodeRate: number };
  top: Record<TopKey, TopRow[]>;
  playsPerDay: { date: string; movie: number; episode: number; track: number; other: number }[];
  hourByWeekday: { weekday: number; hour: number; plays: number }[];
  concurrent: { date: string; directplay: number; directstream: number; transcode: number; total: number }[];
  decisions: TopRow[];
  resolutions: TopRow[];
}
