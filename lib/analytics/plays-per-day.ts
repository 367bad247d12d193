// Plays per local day of the range, by media class (every day present, zeros included).
import { db } from '../db';
import { localDate, addDays } from '../tracker/day-buckets';
import { coveredSql, localSql, MEDIA_CLASS_SQL, plan, rawWhere, serverCond, type Ctx } from './context';

export interface DayPlays {
  date: string;
  movie: number;
  episode: number;
  track: number;
  other: number;
}

/** Every local date from the range's first to its last, in the timezone. */
export function rangeDates(ctx: Ctx): string[] {
  const first = localDate(ctx.q.from.getTime(), ctx.q.tz);
  const last = localDate(ctx.q.to.getTime(), ctx.q.tz);
  const out: string[] = [];
  for (let d = first; d <= last; d = addDays(d, 1)) out.push(d);
  return out;
}

export async function queryPlaysPerDay(ctx: Ctx): Promise<DayPlays[]> {
  const hours = plan(ctx, ['hour'], { local: true });
  const rows = await db.$queryRaw<{ day: string; cls: keyof Omit<DayPlays, 'date'>; plays: bigint }[]>`
    SELECT to_char(x."local", 'YYYY-MM-DD') AS "day", x."cls", sum(x."plays")::bigint AS "plays" FROM (
      SELECT ${localSql(ctx, 'h."bucket"')} AS "local", h."mediaClass" AS "cls", h."plays" FROM "AnalyticsHour" h
      WHERE ${coveredSql(hours, ['hour'], 'h."bucket"', null)} AND ${serverCond(ctx, 'h."serverId"')}
      UNION ALL
      SELECT ${localSql(ctx, 'p."startedAt"')}, ${MEDIA_CLASS_SQL}, 1 FROM "Play" p WHERE ${rawWhere(ctx, hours)}
    ) x GROUP BY 1, 2`;
  const byDay = new Map(rangeDates(ctx).map((date) => [date, { date, movie: 0, episode: 0, track: 0, other: 0 } as DayPlays]));
  for (const r of rows) {
    const day = byDay.get(r.day);
    if (day) day[r.cls] += Number(r.plays);
  }
  return [...byDay.values()];
}
