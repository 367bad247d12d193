// Calendar days in a user's timezone (pure, unit-tested): where a local day starts and ends in UTC,
// and its hours. A DST day has 23 or 25 hours; buckets step one real hour from local midnight, so
// the repeated hour of a fall-back day appears twice (labelled with its UTC offset) and the skipped
// hour of a spring-forward day does not appear at all.
import { isGhostItem } from './summary';

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const HOUR_MS = 3_600_000;

export function isValidTimezone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export function parseDay(date: string): { y: number; m: number; d: number } | null {
  const match = DATE_RE.exec(date);
  if (!match) return null;
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const probe = new Date(Date.UTC(y, m - 1, d));
  if (probe.getUTCFullYear() !== y || probe.getUTCMonth() !== m - 1 || probe.getUTCDate() !== d) return null;
  return { y, m, d };
}

const partsFormatters = new Map<string, Intl.DateTimeFormat>();
function formatterFor(tz: string): Intl.DateTimeFormat {
  let f = partsFormatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: tz, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    partsFormatters.set(tz, f);
  }
  return f;
}

/** Local wall-clock fields of an instant in a timezone. */
export function localParts(at: number, tz: string) {
  const p = Object.fromEntries(formatterFor(tz).formatToParts(new Date(at)).map((x) => [x.type, x.value]));
  return { y: Number(p.year), m: Number(p.month), d: Number(p.day), hour: Number(p.hour), minute: Number(p.minute), second: Number(p.second) };
}

/** The timezone's offset from UTC at an instant, in minutes (New York in winter: -300). */
export function offsetMinutes(at: number, tz: string): number {
  const p = localParts(at, tz);
  const asUtc = Date.UTC(p.y, p.m - 1, p.d, p.hour, p.minute, p.second);
  return Math.round((asUtc - Math.floor(at / 1000) * 1000) / 60_000);
}

/** The UTC instant of local midnight starting the given day in the timezone. */
export function startOfLocalDay(y: number, m: number, d: number, tz: string): number {
  const guess = Date.UTC(y, m - 1, d);
  // Two passes settle the offset even when midnight sits next to a DST change.
  let t = guess - offsetMinutes(guess, tz) * 60_000;
  t = guess - offsetMinutes(t, tz) * 60_000;
  return t;
}

export function addDays(date: string, n: number): string {
  const p = parseDay(date)!;
  return new Date(Date.UTC(p.y, p.m - 1, p.d + n)).toISOString().slice(0, 10);
}

/** Today's date (YYYY-MM-DD) in the timezone. */
export function localDate(at: number, tz: string): string {
  const p = localParts(at, tz);
  return `${p.y}-${String(p.m).padStart(2, '0')}-${String(p.d).padStart(2, '0')}`;
}

function formatOffset(min: number): string {
  const sign = min < 0 ? '-' : '+';
  const a = Math.abs(min);
  return `${sign}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
}

export interface HourSlot {
  /** Local hour of day (0–23); repeats on a fall-back day. */
  hour: number;
  /** "01:00 -04:00": the local start and its UTC offset, unambiguous on DST days. */
  label: string;
  start: string;
  startMs: number;
}

export interface DayWindow {
  date: string;
  timezone: string;
  startMs: number;
  endMs: number;
  hours: HourSlot[];
}

export function dayWindow(date: string, tz: string): DayWindow | null {
  const p = parseDay(date);
  if (!p) return null;
  const startMs = startOfLocalDay(p.y, p.m, p.d, tz);
  const next = parseDay(addDays(date, 1))!;
  const endMs = startOfLocalDay(next.y, next.m, next.d, tz);
  const hours: HourSlot[] = [];
  for (let t = startMs; t < endMs; t += HOUR_MS) {
    const lp = localParts(t, tz);
    hours.push({ hour: lp.hour, label: `${String(lp.hour).padStart(2, '0')}:${String(lp.minute).padStart(2, '0')} ${formatOffset(offsetMinutes(t, tz))}`, start: new Date(t).toISOString(), startMs: t });
  }
  return { date, timezone: tz, startMs, endMs, hours };
}

/** Index of the hour slot an instant falls in, or -1 outside the day. */
export function slotIndex(w: DayWindow, at: number): number {
  if (at < w.startMs || at >= w.endMs) return -1;
  return Math.min(w.hours.length - 1, Math.floor((at - w.startMs) / HOUR_MS));
}

export interface HourBucket {
  hour: number;
  label: string;
  start: string;
  items: number;
  activeS: number;
  ghosts: number;
}

/** Counts items into the day's hour slots by end time; ghost items are counted apart. */
export function bucketByHour(w: DayWindow, items: { endedAt: number; rawMs: number; activeMs: number }[]): HourBucket[] {
  const hours = w.hours.map((h) => ({ hour: h.hour, label: h.label, start: h.start, items: 0, activeMs: 0, ghosts: 0 }));
  for (const i of items) {
    const slot = hours[slotIndex(w, i.endedAt)];
    if (!slot) continue;
    if (isGhostItem(i)) slot.ghosts++;
    else {
      slot.items++;
      slot.activeMs += i.activeMs;
    }
  }
  return hours.map(({ activeMs, ...h }) => ({ ...h, activeS: activeMs / 1000 }));
}

/** The account's timezone if the runtime knows it, else UTC. */
export function safeTimezone(tz: string | null | undefined): string {
  return tz && isValidTimezone(tz) ? tz : 'UTC';
}

/** The current calendar day in the timezone (an invalid zone falls back to UTC). */
export function todayIn(tz: string, now = Date.now()): string {
  return localDate(now, safeTimezone(tz));
}
