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
  // Rollup rows are summed per UTC hour first: the timezone conversion then runs once per hour.
  const rows = await db.$queryRaw<({ day: string } & Record<keyof Omit<DayPlays, 'date'>, bigint>)[]>`
    SELECT to_char(${localSql(ctx, 'x."bucket"')}, 'YYYY-MM-DD') AS "day",
      sum(x."movie")::bigint AS "movie", sum(x."episode")::bigint AS "episode", sum(x."track")::bigint AS "track", sum(x."other")::bigint AS "other"
    FROM (
      SELECT h."bucket", sum(h."plays") FILTER (WHERE h."mediaClass" = 'movie') AS "movie", sum(h."plays") FILTER (WHERE h."mediaClass" = 'episode') AS "episode",
        sum(h."plays") FILTER (WHERE h."mediaClass" = 'track') AS "track", sum(h."plays") FILTER (WHERE h."mediaClass" = 'other') AS "other"
      FROM "AnalyticsHour" h WHERE ${coveredSql(hours, ['hour'], 'h."bucket"', null)} AND ${serverCond(ctx, 'h."serverId"')} GROUP BY 1
      UNION ALL
      SELECT p."startedAt", (c = 'movie')::int, (c = 'episode')::int, (c = 'track')::int, (c = 'other')::int
      FROM "Play" p CROSS JOIN LATERAL (SELECT ${MEDIA_CLASS_SQL} AS c) k WHERE ${rawWhere(ctx, hours)}
    ) x GROUP BY 1`;
  const byDay = new Map(rangeDates(ctx).map((date) => [date, { date, movie: 0, episode: 0, track: 0, other: 0 } as DayPlays]));
  for (const r of rows) {
    const day = byDay.get(r.day);
    if (!day) continue;
    day.movie += Number(r.movie ?? 0);
    day.episode += Number(r.episode ?? 0);
    day.track += Number(r.track ?? 0);
    day.other += Number(r.other ?? 0);
  }
  return [...byDay.values()];
}
