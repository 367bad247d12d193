// Plays by local day of week (0 = Sunday) × local hour: 168 cells.
import { db } from '../db';
import { coveredSql, localSql, plan, rawWhere, serverCond, type Ctx } from './context';

export interface HourCell {
  weekday: number;
  hour: number;
  plays: number;
}

export async function queryHourByWeekday(ctx: Ctx): Promise<HourCell[]> {
  const hours = plan(ctx, ['hour'], { local: true });
  const rows = await db.$queryRaw<{ weekday: number; hour: number; plays: bigint }[]>`
    SELECT extract(dow FROM x."local")::int AS "weekday", extract(hour FROM x."local")::int AS "hour", sum(x."plays")::bigint AS "plays" FROM (
      SELECT ${localSql(ctx, 'y."bucket"')} AS "local", y."plays" FROM (
        SELECT h."bucket", sum(h."plays") AS "plays" FROM "AnalyticsHour" h
        WHERE ${coveredSql(hours, ['hour'], 'h."bucket"', null)} AND ${serverCond(ctx, 'h."serverId"')} GROUP BY 1
      ) y
      UNION ALL
      SELECT ${localSql(ctx, 'p."startedAt"')}, 1 FROM "Play" p WHERE ${rawWhere(ctx, hours)}
    ) x GROUP BY 1, 2`;
  const cells: HourCell[] = [];
  for (let weekday = 0; weekday < 7; weekday++) for (let hour = 0; hour < 24; hour++) cells.push({ weekday, hour, plays: 0 });
  for (const r of rows) cells[r.weekday * 24 + r.hour]!.plays += Number(r.plays);
  return cells;
}
