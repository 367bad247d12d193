// Concurrent streams: the peak number of plays in progress at one instant, per local day, by
// decision (each its own peak) and in total (the peak over all decisions together). Rollups hold
// per-hour peaks for each server and for all servers together; a scope that is neither (several
// servers of many, single media users) is swept from the plays.
import { db } from '../db';
import { coveredSql, localSql, plan, scopeWhere, ts, type Ctx } from './context';
import { HOUR_MS } from './plan';
import { rangeDates } from './plays-per-day';
import { sweepSql, type SweepRow } from './sweep';
import { parseDay, startOfLocalDay } from '../tracker/day-buckets';

const localMidnight = (date: string, tz: string) => {
  const d = parseDay(date)!;
  return startOfLocalDay(d.y, d.m, d.d, tz);
};

export interface DayPeak {
  date: string;
  directplay: number;
  directstream: number;
  transcode: number;
  total: number;
}

/** The rollup key answering this scope, if any: "*" (all servers) or one server. */
function rollupKey(ctx: Ctx): string | null {
  if (ctx.pairs) return null;
  if (ctx.servers === 'all') return '*';
  return ctx.servers.length === 1 ? ctx.servers[0]! : null;
}

export async function queryConcurrent(ctx: Ctx): Promise<DayPeak[]> {
  const key = rollupKey(ctx);
  const from = ctx.q.from.getTime();
  // Hours an open play of the scope spans are read raw (rollups hold closed plays only).
  let openHours: number[] = [];
  if (key !== null && ctx.watermark !== null) {
    const open = await db.$queryRaw<{ s: Date; e: Date }[]>`
      SELECT p."startedAt" AS "s", LEAST(${ts(ctx.q.now)}::timestamp, p."startedAt" + interval '1 day') AS "e" FROM "Play" p
      WHERE p."stoppedAt" IS NULL AND p."startedAt" >= ${ts(from - 86_400_000)}::timestamp AND p."startedAt" < ${ts(ctx.toExcl)}::timestamp AND ${scopeWhere(ctx)}`;
    openHours = open.flatMap(({ s, e }) => {
      const out: number[] = [];
      for (let h = Math.floor(s.getTime() / HOUR_MS) * HOUR_MS; h <= e.getTime(); h += HOUR_MS) out.push(h);
      return out;
    });
  }
  const hours = plan(ctx, ['hour'], { local: true, raw: key === null, extraDirty: openHours });
  const [rolled, swept] = await Promise.all([
    hours.covered.hour.length && key !== null
      ? db.$queryRaw<Omit<DayPeak, 'date'>[] & { day: string }[]>`
          SELECT to_char(${localSql(ctx, 'c."bucket"')}, 'YYYY-MM-DD') AS "day", max(c."directplay")::int AS "directplay", max(c."directstream")::int AS "directstream",
            max(c."transcode")::int AS "transcode", max(c."total")::int AS "total"
          FROM "AnalyticsConcurrency" c WHERE c."serverKey" = ${key} AND ${coveredSql(hours, ['hour'], 'c."bucket"', null)} GROUP BY 1`
      : Promise.resolve([] as ({ day: string } & Omit<DayPeak, 'date'>)[]),
    hours.raw.length
      ? db.$queryRaw<SweepRow[]>(sweepSql(hours.raw, scopeWhere(ctx), { now: ctx.q.now, perServer: false, tz: ctx.q.tz, dayStarts: rangeDates(ctx).map((d) => localMidnight(d, ctx.q.tz)) }))
      : Promise.resolve([] as SweepRow[]),
  ]);
  const byDay = new Map(rangeDates(ctx).map((date) => [date, { date, directplay: 0, directstream: 0, transcode: 0, total: 0 } as DayPeak]));
  for (const r of [...rolled, ...swept] as ({ day: string | null } & Omit<DayPeak, 'date'>)[]) {
    const d = r.day ? byDay.get(r.day) : undefined;
    if (!d) continue;
    d.directplay = Math.max(d.directplay, r.directplay);
    d.directstream = Math.max(d.directstream, r.directstream);
    d.transcode = Math.max(d.transcode, r.transcode);
    d.total = Math.max(d.total, r.total);
  }
  return [...byDay.values()];
}

