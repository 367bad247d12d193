// Numbers of the analytics view as people read them. Pure, unit-tested.
import { localDate, safeTimezone } from '@/lib/tracker/day-buckets';

const count = new Intl.NumberFormat('en-US');

export function formatCount(n: number): string {
  return count.format(n);
}

/** Watch time in hours and minutes: 0 → "0 m", 45 → "< 1 m", 3725 → "1 h 2 m", 4_500_000 → "1,250 h 0 m". */
export function formatWatchTime(s: number): string {
  if (!Number.isFinite(s) || s <= 0) return '0 m';
  if (s < 60) return '< 1 m';
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h > 0 ? `${count.format(h)} h ${m} m` : `${m} m`;
}

/** A 0..1 rate as a percentage with at most one decimal: 0.4167 → "41.7 %"; null when there is nothing to rate. */
export function formatRate(rate: number, plays: number): string {
  if (plays <= 0 || !Number.isFinite(rate)) return '—';
  const pct = Math.round(Math.min(1, Math.max(0, rate)) * 1000) / 10;
  return `${pct} %`;
}

export function formatPlays(n: number): string {
  return `${count.format(n)} ${n === 1 ? 'play' : 'plays'}`;
}

const dayLabel = new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric', timeZone: 'UTC' });
const dayLabelWithYear = new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric', year: 'numeric', timeZone: 'UTC' });

/** "2026-11-29" → "Nov 29" (the date is a calendar day already, so it is printed as is). */
export function formatDay(date: string, withYear = false): string {
  const t = Date.parse(`${date}T00:00:00Z`);
  if (Number.isNaN(t)) return date;
  return (withYear ? dayLabelWithYear : dayLabel).format(t);
}

/** The span a report covers (`to` inclusive), as calendar days in its timezone: "Nov 22, 2026 – Nov 29, 2026". */
export function formatRangeSpan(range: { from: string; to: string; timezone: string }): string {
  const from = Date.parse(range.from);
  const to = Date.parse(range.to);
  if (Number.isNaN(from) || Number.isNaN(to)) return `${range.from} – ${range.to}`;
  const tz = safeTimezone(range.timezone);
  const first = localDate(from, tz);
  const last = localDate(Math.max(from, to), tz);
  return first === last ? formatDay(first, true) : `${formatDay(first, true)} – ${formatDay(last, true)}`;
}

export const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const;

/** Hour 14 → "14:00–15:00". */
export function formatHourSpan(hour: number): string {
  const pad = (h: number) => `${String(h % 24).padStart(2, '0')}:00`;
  return `${pad(hour)}–${pad(hour + 1)}`;
}
