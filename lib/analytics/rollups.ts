// Rollups: closed plays pre-aggregated by UTC hour (AnalyticsHour, AnalyticsConcurrency) and by UTC
// day, quarter-month and month (AnalyticsDim), per server and for all servers together (serverId "*", what an
// admin's unfiltered view reads: a third of the rows with three servers). A statement trigger on "Play" marks the hours any write
// of a closed play touches (AnalyticsDirtyHour); `refreshRollups` (the analytics-refresh job, every
// minute) recomputes exactly those hours, the days, quarter-months and months holding them, and the hours between
// the old watermark and the current hour, then moves the watermark. Reports read the rollups only
// for whole buckets before the watermark with no dirty hour, so a refresh that has not run yet makes
// them slower, never wrong. `rebuildRollups` (npm run analytics:rebuild) recomputes everything.
import { Prisma } from '@/generated/prisma/client';
import { db } from '../db';
import { logger } from '../logger';
import { MEDIA_CLASS_SQL } from './context';
import { DIM_VALUES_SQL } from './dims';
import { DAY_MS, HOUR_MS, quarterEnd, quarterStart, type Interval } from './plan';
import { sweepSql } from './sweep';

/** pg_advisory_xact_lock key of rollup refreshes ("rollup" in ASCII). */
const ROLLUP_LOCK = 0x726f6c6c7570;
type Tx = Parameters<Parameters<typeof db.$transaction>[0]>[0];

const ts = (ms: number) => new Date(ms).toISOString();
const floorHour = (t: number) => Math.floor(t / HOUR_MS) * HOUR_MS;
const floorDay = (t: number) => Math.floor(t / DAY_MS) * DAY_MS;
const monthStart = (t: number) => {
  const d = new Date(t);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
};
const monthEnd = (t: number) => {
  const d = new Date(t);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
};

/** Sorted bucket starts → merged [start, end) intervals. */
function merge(starts: number[], len: (t: number) => number): Interval[] {
  const out: Interval[] = [];
  for (const s of [...new Set(starts)].sort((a, b) => a - b)) {
    const e = s + len(s);
    const last = out[out.length - 1];
    if (last && last[1] >= s) last[1] = Math.max(last[1], e);
    else out.push([s, e]);
  }
  return out;
}

const within = (col: string, list: Interval[]) =>
  list.length ? Prisma.sql`(${Prisma.join(list.map(([a, b]) => Prisma.sql`(${Prisma.raw(col)} >= ${ts(a)}::timestamp AND ${Prisma.raw(col)} < ${ts(b)}::timestamp)`), ' OR ')})` : Prisma.sql`FALSE`;

async function recomputeHours(tx: Tx, list: Interval[]) {
  if (!list.length) return;
  await tx.$executeRaw`DELETE FROM "AnalyticsHour" h WHERE ${within('h."bucket"', list)}`;
  await tx.$executeRaw`
    INSERT INTO "AnalyticsHour" ("bucket", "serverId", "mediaClass", "plays", "watchS", "completed", "transcodes")
    SELECT date_trunc('hour', p."startedAt"), p."serverId", ${MEDIA_CLASS_SQL}, count(*), sum(p."watchedS"),
      count(*) FILTER (WHERE p."completed"), count(*) FILTER (WHERE p."decision" = 'transcode')
    FROM "Play" p WHERE p."stoppedAt" IS NOT NULL AND ${within('p."startedAt"', list)}
    GROUP BY 1, 2, 3`;  await tx.$executeRaw`
    INSERT INTO "AnalyticsHour" ("bucket", "serverId", "mediaClass", "plays", "watchS", "completed", "transcodes")
    SELECT h."bucket", '*', h."mediaClass", sum(h."plays"), sum(h."watchS"), sum(h."completed"), sum(h."transcodes")
    FROM "AnalyticsHour" h WHERE h."serverId" <> '*' AND ${within('h."bucket"', list)} GROUP BY 1, 3`;
}

async function recomputeDays(tx: Tx, list: Interval[]) {
  if (!list.length) return;
  await tx.$executeRaw`DELETE FROM "AnalyticsDim" d WHERE d."grain" = 'day' AND ${within('d."bucket"', list)}`;
  await tx.$executeRaw`
    INSERT INTO "AnalyticsDim" ("kind", "grain", "bucket", "serverId", "name", "plays", "watchS")
    SELECT v."kind", 'day', date_trunc('day', p."startedAt"), p."serverId", v."name", count(*), sum(p."watchedS")
    FROM "Play" p CROSS JOIN LATERAL ${DIM_VALUES_SQL}
    WHERE p."stoppedAt" IS NOT NULL AND ${within('p."startedAt"', list)} AND (v."name" <> '' OR v."kind" IN ('decisions', 'resolutions'))
    GROUP BY 1, 3, 4, 5`;  await tx.$executeRaw`
    INSERT INTO "AnalyticsDim" ("kind", "grain", "bucket", "serverId", "name", "plays", "watchS")
    SELECT d."kind", 'day', d."bucket", '*', d."name", sum(d."plays"), sum(d."watchS")
    FROM "AnalyticsDim" d WHERE d."grain" = 'day' AND d."serverId" <> '*' AND ${within('d."bucket"', list)} GROUP BY 1, 3, 5`;
}

async function recomputeMonths(tx: Tx, list: Interval[]) {
  if (!list.length) return;
  await tx.$executeRaw`DELETE FROM "AnalyticsDim" d WHERE d."grain" = 'month' AND ${within('d."bucket"', list)}`;
  await tx.$executeRaw`
    INSERT INTO "AnalyticsDim" ("kind", "grain", "bucket", "serverId", "name", "plays", "watchS")
    SELECT d."kind", 'month', date_trunc('month', d."bucket"), d."serverId", d."name", sum(d."plays"), sum(d."watchS")
    FROM "AnalyticsDim" d WHERE d."grain" = 'quarter' AND ${within('d."bucket"', list)}
    GROUP BY 1, 3, 4, 5`;
}

/** Quarter-months (days 1-8, 9-16, 17-24, 25-end) from their day rows. */
async function recomputeQuarters(tx: Tx, list: Interval[]) {
  if (!list.length) return;
  await tx.$executeRaw`DELETE FROM "AnalyticsDim" d WHERE d."grain" = 'quarter' AND ${within('d."bucket"', list)}`;
  await tx.$executeRaw`
    INSERT INTO "AnalyticsDim" ("kind", "grain", "bucket", "serverId", "name", "plays", "watchS")
    SELECT d."kind", 'quarter',
      date_trunc('month', d."bucket") + make_interval(days => CASE WHEN extract(day FROM d."bucket") >= 25 THEN 24 WHEN extract(day FROM d."bucket") >= 17 THEN 16 WHEN extract(day FROM d."bucket") >= 9 THEN 8 ELSE 0 END),
      d."serverId", d."name", sum(d."plays"), sum(d."watchS")
    FROM "AnalyticsDim" d WHERE d."grain" = 'day' AND ${within('d."bucket"', list)}
    GROUP BY 1, 3, 4, 5`;
}

async function recomputeConcurrency(tx: Tx, list: Interval[], now: Date) {
  if (!list.length) return;
  await tx.$executeRaw`DELETE FROM "AnalyticsConcurrency" c WHERE ${within('c."bucket"', list)}`;
  const sweep = sweepSql(list, Prisma.sql`p."stoppedAt" IS NOT NULL`, { now, perServer: true, tz: null });
  await tx.$executeRaw`
    INSERT INTO "AnalyticsConcurrency" ("serverKey", "bucket", "directplay", "directstream", "transcode", "total")
    SELECT s."key", s."hour", s."directplay", s."directstream", s."transcode", s."total" FROM (${sweep}) s`;
}

/** Recomputes the rollups of the given hours (and the complete days and months holding them). */
async function recompute(tx: Tx, hours: number[], watermark: number, now: Date) {
  const hourList = merge(hours, () => HOUR_MS);
  const days = [...new Set(hours.map(floorDay))].filter((d) => d + DAY_MS <= watermark);
  const quarters = [...new Set(days.map(quarterStart))].filter((q) => quarterEnd(q) <= watermark);
  const months = [...new Set(days.map(monthStart))].filter((m) => monthEnd(m) <= watermark);
  await recomputeHours(tx, hourList);
  await recomputeDays(tx, merge(days, () => DAY_MS));
  await recomputeQuarters(tx, merge(quarters, (q) => quarterEnd(q) - q));
  await recomputeMonths(tx, merge(months, (m) => monthEnd(m) - m));
  await recomputeConcurrency(tx, hourList, now);
  return { hours: hours.length, days: days.length, months: months.length };
}

export interface RefreshResult {
  skipped?: boolean;
  hours: number;
  days: number;
  months: number;
  watermark: string | null;
  ms: number;
}

/**
 * Brings the rollups up to the start of the current hour: recomputes the dirty hours and the hours
 * since the last refresh. Does a full rebuild when the rollups were never built. Skips (returns
 * `skipped`) while another refresh or rebuild runs.
 */
export async function refreshRollups(now: Date = new Date()): Promise<RefreshResult> {
  const t0 = performance.now();
  const state = await db.analyticsState.findUnique({ where: { id: 'default' } });
  if (!state?.watermark) return rebuildRollups(now);
  const result = await db.$transaction(
    async (tx) => {
      const [lock] = await tx.$queryRaw<{ ok: boolean }[]>`SELECT pg_try_advisory_xact_lock(${ROLLUP_LOCK}::bigint) AS "ok"`;
      if (!lock?.ok) return null;
      // The day rollups group a row per play and dimension: keep the sort in memory.
      await tx.$executeRawUnsafe(`SET LOCAL work_mem = '256MB'`);
      const [st] = await tx.$queryRaw<{ watermark: Date | null }[]>`SELECT "watermark" FROM "AnalyticsState" WHERE "id" = 'default' FOR UPDATE`;
      const old = st?.watermark?.getTime() ?? null;
      if (old === null) return null;
      const next = Math.max(old, floorHour(now.getTime()));
      const claimed = await tx.$queryRaw<{ hour: Date }[]>`DELETE FROM "AnalyticsDirtyHour" WHERE "hour" < ${ts(next)}::timestamp RETURNING "hour"`;
      const hours = claimed.map((c) => c.hour.getTime());
      for (let h = old; h < next; h += HOUR_MS) hours.push(h);
      const counts = await recompute(tx, [...new Set(hours)], next, now);
      await tx.$executeRaw`UPDATE "AnalyticsState" SET "watermark" = ${ts(next)}::timestamp, "refreshedAt" = ${now.toISOString()}::timestamp WHERE "id" = 'default'`;
      return { ...counts, watermark: ts(next) };
    },
    { timeout: 600_000, maxWait: 10_000 },
  );
  if (!result) return { skipped: true, hours: 0, days: 0, months: 0, watermark: state.watermark.toISOString(), ms: performance.now() - t0 };
  return { ...result, ms: performance.now() - t0 };
}

/** Recomputes every rollup from the plays (after an import; `npm run analytics:rebuild`). Readers keep the old rollups until it commits. */
export async function rebuildRollups(now: Date = new Date()): Promise<RefreshResult> {
  const t0 = performance.now();
  const next = floorHour(now.getTime());
  const result = await db.$transaction(
    async (tx) => {
      const [lock] = await tx.$queryRaw<{ ok: boolean }[]>`SELECT pg_try_advisory_xact_lock(${ROLLUP_LOCK}::bigint) AS "ok"`;
      if (!lock?.ok) return null;
      // The day rollups group a row per play and dimension: keep the sort in memory.
      await tx.$executeRawUnsafe(`SET LOCAL work_mem = '256MB'`);
      await tx.$executeRaw`INSERT INTO "AnalyticsState" ("id") VALUES ('default') ON CONFLICT DO NOTHING`;
      await tx.$queryRaw`SELECT 1 FROM "AnalyticsState" WHERE "id" = 'default' FOR UPDATE`;
      await tx.$executeRaw`DELETE FROM "AnalyticsDirtyHour" WHERE "hour" < ${ts(next)}::timestamp`;
      await tx.$executeRaw`DELETE FROM "AnalyticsHour"`;
      await tx.$executeRaw`DELETE FROM "AnalyticsDim"`;
      await tx.$executeRaw`DELETE FROM "AnalyticsConcurrency"`;
      const [span] = await tx.$queryRaw<{ min: Date | null }[]>`SELECT min("startedAt") AS "min" FROM "Play"`;
      let hours = 0;
      let days = 0;
      let months = 0;
      if (span?.min) {
        // Month by month: bounded memory, and the log shows progress on a big history.
        for (let m = monthStart(span.min.getTime()); m < next; m = monthEnd(m)) {
          const end = Math.min(monthEnd(m), next);
          const chunk: Interval[] = [[m, end]];
          await recomputeHours(tx, chunk);
          const dayEnd = floorDay(end);
          if (dayEnd > m) await recomputeDays(tx, [[m, dayEnd]]);
          const quarterUntil = dayEnd === monthEnd(m) ? dayEnd : quarterStart(dayEnd);
          if (quarterUntil > m) await recomputeQuarters(tx, [[m, quarterUntil]]);
          if (monthEnd(m) <= next) await recomputeMonths(tx, chunk);
          await recomputeConcurrency(tx, chunk, now);
          hours += (end - m) / HOUR_MS;
          days += (dayEnd - m) / DAY_MS;
          months += monthEnd(m) <= next ? 1 : 0;
          logger.debug('analytics rollups: month rebuilt', { month: ts(m) });
        }
      }
      await tx.$executeRaw`UPDATE "AnalyticsState" SET "watermark" = ${ts(next)}::timestamp, "refreshedAt" = ${now.toISOString()}::timestamp, "rebuiltAt" = ${now.toISOString()}::timestamp WHERE "id" = 'default'`;
      return { hours, days, months, watermark: ts(next) };
    },
    { timeout: 3_600_000, maxWait: 10_000 },
  );
  if (!result) return { skipped: true, hours: 0, days: 0, months: 0, watermark: null, ms: performance.now() - t0 };
  return { ...result, ms: performance.now() - t0 };
}

/** Where the rollups stand (watermark, last refresh, dirty hours waiting). */
export async function rollupStatus() {
  const state = await db.analyticsState.findUnique({ where: { id: 'default' } });
  const dirty = await db.analyticsDirtyHour.count();
  return { watermark: state?.watermark?.toISOString() ?? null, refreshedAt: state?.refreshedAt?.toISOString() ?? null, rebuiltAt: state?.rebuiltAt?.toISOString() ?? null, dirtyHours: dirty };
}
