// Summary cards: plays, active users (distinct media users), watch time, completion rate
// (completed / plays), transcode rate (plays with decision 'transcode' / plays).
import { db } from '../db';
import { coveredSql, DIM_GRAINS, plan, rawWhere, serverCond, watchSql, type Ctx } from './context';

export interface Summary {
  plays: number;
  activeUsers: number;
  watchTimeS: number;
  completionRate: number;
  transcodeRate: number;
}

export async function querySummary(ctx: Ctx): Promise<Summary> {
  const hours = plan(ctx, ['hour']);
  const days = plan(ctx, DIM_GRAINS);
  const [totals, users] = await Promise.all([
    db.$queryRaw<{ plays: bigint | null; watch: bigint | null; completed: bigint | null; transcodes: bigint | null }[]>`
      SELECT sum(x."plays")::bigint AS "plays", sum(x."watch")::bigint AS "watch", sum(x."completed")::bigint AS "completed", sum(x."transcodes")::bigint AS "transcodes"
      FROM (
        SELECT sum(h."plays") AS "plays", sum(h."watchS") AS "watch", sum(h."completed") AS "completed", sum(h."transcodes") AS "transcodes"
        FROM "AnalyticsHour" h WHERE ${coveredSql(hours, ['hour'], 'h."bucket"', null)} AND ${serverCond(ctx, 'h."serverId"')}
        UNION ALL
        SELECT count(*), sum(${watchSql(ctx.q.now)}), count(*) FILTER (WHERE p."completed"), count(*) FILTER (WHERE p."decision" = 'transcode')
        FROM "Play" p WHERE ${rawWhere(ctx, hours)}
      ) x`,
    db.$queryRaw<{ n: bigint }[]>`
      SELECT count(DISTINCT x."name") AS "n" FROM (
        SELECT d."name" FROM "AnalyticsDim" d
        WHERE d."kind" = 'users' AND ${coveredSql(days, DIM_GRAINS, 'd."bucket"', 'd."grain"')} AND ${serverCond(ctx, 'd."serverId"')}
        UNION ALL
        SELECT p."mediaUser" FROM "Play" p WHERE ${rawWhere(ctx, days)}
      ) x WHERE x."name" <> ''`,
  ]);
  const t = totals[0];
  const plays = Number(t?.plays ?? 0);
  return {
    plays,
    activeUsers: Number(users[0]?.n ?? 0),
    watchTimeS: Number(t?.watch ?? 0),
    completionRate: plays ? Number(t?.completed ?? 0) / plays : 0,
    transcodeRate: plays ? Number(t?.transcodes ?? 0) / plays : 0,
  };
}

