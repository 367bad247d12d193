// Peak simultaneous plays by a sweep over start (+1) and stop (-1) events, per decision and in
// total. A play is in progress from its start to its stop (an open one: until now), clipped to 24 h
// (a play left open by a lost stop must not inflate weeks of peaks). Used by the concurrency report
// (raw intervals) and by the rollup build (every server and "*": all servers together).
import { Prisma } from '@/generated/prisma/client';
import type { Interval } from './plan';

export interface SweepRow {
  key: string;
  hour: Date;
  day: string | null;
  directplay: number;
  directstream: number;
  transcode: number;
  total: number;
}

const ts = (ms: number | Date) => new Date(ms).toISOString();

/**
 * Rows (key, UTC hour[, local day], peaks) for the instants of each interval, counting plays of
 * `filter` (over `p`). `perServer`: keys are each server and "*"; otherwise one key "q".
 * `tz`: by local day instead (`dayStarts`: the UTC instants of the local midnights in the range).
 */
export function sweepSql(intervals: Interval[], filter: Prisma.Sql, opts: { now: Date; perServer: boolean; tz: string | null; dayStarts?: number[] }): Prisma.Sql {
  const as = intervals.map(([a]) => ts(a));
  const bs = intervals.map(([, b]) => ts(b));
  const keys = opts.perServer ? Prisma.sql`(VALUES (p."serverId"), ('*'))` : Prisma.sql`(VALUES ('q'))`;
  // Marks (delta 0) carry the running count into each UTC hour (rollups) or each local day (reports).
  const marks = opts.tz
    ? Prisma.sql`SELECT m FROM unnest(${(opts.dayStarts ?? []).map(ts)}::timestamp[]) m WHERE m > iv."a" AND m < iv."b"`
    : Prisma.sql`SELECT g FROM generate_series(date_trunc('hour', iv."a"), iv."b", interval '1 hour') g WHERE g > iv."a" AND g < iv."b"`;
  const hour = opts.tz ? Prisma.sql`NULL::timestamp` : Prisma.sql`date_trunc('hour', r."t")`;
  const day = opts.tz ? Prisma.sql`to_char((r."t" AT TIME ZONE 'UTC') AT TIME ZONE ${opts.tz}, 'YYYY-MM-DD')` : Prisma.sql`NULL::text`;
  // The candidate plays as literal ranges, so PostgreSQL reads them through an index on startedAt.
  const near = Prisma.join(intervals.map(([a, b]) => Prisma.sql`(p."startedAt" >= ${ts(a - 86_400_000)}::timestamp AND p."startedAt" < ${ts(b)}::timestamp)`), ' OR ');
  return Prisma.sql`
    WITH iv AS (SELECT t."a", t."b" FROM unnest(${as}::timestamp[], ${bs}::timestamp[]) AS t("a", "b")),
    pl AS (
      SELECT iv."a", iv."b", k."key", p."decision" AS "d", GREATEST(p."startedAt", iv."a") AS "s",
        LEAST(COALESCE(p."stoppedAt", ${ts(opts.now)}::timestamp), p."startedAt" + interval '1 day') AS "e"
      FROM iv JOIN "Play" p ON p."startedAt" >= iv."a" - interval '1 day' AND p."startedAt" < iv."b"
      CROSS JOIN LATERAL ${keys} AS k("key")
      WHERE (${near}) AND ${filter}
    ),
    keys AS (SELECT DISTINCT pl."a", pl."key" FROM pl UNION SELECT iv."a", ${opts.perServer ? '*' : 'q'}::text FROM iv),
    ev AS (
      SELECT pl."a", pl."key", pl."s" AS "t", 1 AS "delta", pl."d" FROM pl WHERE pl."e" > pl."s"
      UNION ALL SELECT pl."a", pl."key", pl."e", -1, pl."d" FROM pl WHERE pl."e" > pl."s" AND pl."e" < pl."b"
      UNION ALL SELECT keys."a", keys."key", m."t", 0, NULL FROM keys JOIN iv ON iv."a" = keys."a"
        CROSS JOIN LATERAL (SELECT iv."a" AS "t" UNION ALL ${marks}) m
    ),
    r AS (
      SELECT ev."key", ev."t",
        sum(ev."delta") OVER w AS "total",
        sum(ev."delta") FILTER (WHERE ev."d" = 'directplay') OVER w AS "dp",
        sum(ev."delta") FILTER (WHERE ev."d" = 'directstream') OVER w AS "ds",
        sum(ev."delta") FILTER (WHERE ev."d" = 'transcode') OVER w AS "tc"
      FROM ev WINDOW w AS (PARTITION BY ev."a", ev."key" ORDER BY ev."t", ev."delta" ROWS UNBOUNDED PRECEDING)
    )
    SELECT r."key", ${hour} AS "hour", ${day} AS "day",
      COALESCE(max(r."dp"), 0)::int AS "directplay", COALESCE(max(r."ds"), 0)::int AS "directstream",
      COALESCE(max(r."tc"), 0)::int AS "transcode", COALESCE(max(r."total"), 0)::int AS "total"
    FROM r GROUP BY 1, 2, 3`;
}
