// Tautulli's graph commands (webserve.py get_plays_by_*, graphs.py): `{ categories, series: [{ name,
// data }] }` over Marquee's plays in the key owner's scope, bucketed in the owner's timezone.
// `y_axis=duration` sums seconds watched of finished plays, as graphs.py does. Every media series
// is sent (graphs.py leaves out those with no library of that type), then "Total".
import { Prisma } from '@/generated/prisma/client';
import { db } from '../../db';
import { can } from '../../auth/permissions';
import { localStart, mostConcurrent, playSpans, scopeWhere, statsUserFilter, timezoneOf, utcDay, WATCHED, type PlaySpan } from '../plays';
import { TautulliError, type TautulliCommand, type TautulliContext } from '../types';

const MEDIA_SERIES: [string, string][] = [['TV', 'episode'], ['Movies', 'movie'], ['Music', 'track'], ['Live TV', 'live']];
const STREAM_SERIES: [string, string][] = [['Direct Play', 'directplay'], ['Direct Stream', 'directstream'], ['Transcode', 'transcode']];
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

type Series = { name: string; data: number[] };
export type Graph = { categories: string[]; series: Series[] };

/** Today's date in `tz`, YYYY-MM-DD. */
export function todayIn(tz: string, now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

/** The `n` dates ending with `today` (YYYY-MM-DD), oldest first. */
export function lastDays(today: string, n: number): string[] {
  const t = Date.parse(`${today}T00:00:00Z`);
  return Array.from({ length: n }, (_, i) => new Date(t - (n - 1 - i) * 86_400_000).toISOString().slice(0, 10));
}

/** The `n` months ending with today's (YYYY-MM), oldest first. */
export function lastMonths(today: string, n: number): string[] {
  const y = Number(today.slice(0, 4));
  const m = Number(today.slice(5, 7)) - 1;
  return Array.from({ length: n }, (_, i) => {
    const d = new Date(Date.UTC(y, m - (n - 1 - i), 1));
    return d.toISOString().slice(0, 7);
  });
}

interface Bucket {
  b: string;
  s: string | null;
  plays: number;
  duration: number;
}

async function graphContext(ctx: TautulliContext, defaultRange: number) {
  if (!can(ctx.actor, 'history:view')) throw new TautulliError('You may not view history.', 403);
  const tz = timezoneOf(ctx.actor);
  const range = ctx.params.int('time_range') || defaultRange;
  if (range < 1 || range > 3650) throw new TautulliError('Invalid time_range: use 1 to 3650.');
  const yAxis = ctx.params.str('y_axis') === 'duration' ? 'duration' : 'plays';
  const where = Prisma.join([scopeWhere(ctx), await statsUserFilter(ctx)], ' AND ');
  return { tz, range, yAxis, where, local: localStart(tz), today: todayIn(tz) } as const;
}

/** Plays (or seconds) per bucket and series value. */
async function buckets(where: Prisma.Sql, bucket: Prisma.Sql, series: Prisma.Sql): Promise<Bucket[]> {
  return db.$queryRaw<Bucket[]>`
    SELECT ${bucket} AS b, ${series} AS s, count(*)::int AS plays, COALESCE(sum(${WATCHED}), 0)::int AS duration
    FROM "Play" p WHERE ${where} GROUP BY 1, 2`;
}

function build(categories: string[], keys: string[], rows: Bucket[], yAxis: 'plays' | 'duration', series: [string, string][], total: boolean): Graph {
  const at = new Map(rows.map((r) => [`${r.b}\u0000${r.s}`, yAxis === 'duration' ? r.duration : r.plays]));
  const out: Series[] = series.map(([name, value]) => ({ name, data: keys.map((k) => at.get(`${k}\u0000${value}`) ?? 0) }));
  if (total) out.push({ name: 'Total', data: keys.map((_, i) => out.reduce((s, x) => s + x.data[i]!, 0)) });
  return { categories, series: out };
}

const MEDIA = Prisma.sql`p."mediaType"`;
const DECISION = Prisma.sql`p."decision"`;

function byDate(name: string, series: 'media' | 'stream'): TautulliCommand {
  return {
    name,
    async run(ctx) {
      const g = await graphContext(ctx, 30);
      const dates = lastDays(g.today, g.range);
      const b = Prisma.sql`to_char(${g.local}, 'YYYY-MM-DD')`;
      const rows = await buckets(Prisma.sql`${g.where} AND ${b} >= ${dates[0]!} AND p."startedAt" >= ${utcDay(dates[0]!, -1)}::timestamp`, b, series === 'media' ? MEDIA : DECISION);
      return build(dates, dates, rows, g.yAxis, series === 'media' ? MEDIA_SERIES : STREAM_SERIES, series === 'media');
    },
  };
}

/** Plays of the last `range` days (by local date), for the graphs that are not per date. */
const sinceDays = (g: Awaited<ReturnType<typeof graphContext>>) => {
  const first = lastDays(g.today, g.range)[0]!;
  // The local-date condition, and a looser UTC bound the (startedAt, id) index can serve.
  return Prisma.sql`${g.where} AND to_char(${g.local}, 'YYYY-MM-DD') >= ${first} AND p."startedAt" >= ${utcDay(first, -1)}::timestamp`;
};

const byDayOfWeek: TautulliCommand = {
  name: 'get_plays_by_dayofweek',
  async run(ctx) {
    const g = await graphContext(ctx, 30);
    const rows = await buckets(sinceDays(g), Prisma.sql`extract(dow FROM ${g.local})::int::text`, MEDIA);
    return build(WEEKDAYS, WEEKDAYS.map((_, i) => String(i)), rows, g.yAxis, MEDIA_SERIES, true);
  },
};

const HOURS = Array.from({ length: 24 }, (_, i) => String(i).padStart(2, '0'));
const byHourOfDay: TautulliCommand = {
  name: 'get_plays_by_hourofday',
  async run(ctx) {
    const g = await graphContext(ctx, 30);
    const rows = await buckets(sinceDays(g), Prisma.sql`to_char(${g.local}, 'HH24')`, MEDIA);
    return build(HOURS, HOURS, rows, g.yAxis, MEDIA_SERIES, true);
  },
};

const perMonth: TautulliCommand = {
  name: 'get_plays_per_month',
  async run(ctx) {
    const g = await graphContext(ctx, 12);
    const months = lastMonths(g.today, g.range);
    const b = Prisma.sql`to_char(${g.local}, 'YYYY-MM')`;
    const rows = await buckets(Prisma.sql`${g.where} AND ${b} >= ${months[0]!} AND p."startedAt" >= ${utcDay(`${months[0]!}-01`, -1)}::timestamp`, b, MEDIA);
    const labels = months.map((m) => `${MONTHS[Number(m.slice(5, 7)) - 1]} ${m.slice(0, 4)}`);
    return build(labels, months, rows, g.yAxis, MEDIA_SERIES, true);
  },
};

/**
 * The top 10 platforms or users by plays (or duration), each split by media type. Users by name, as
 * get_home_stats and GET /api/analytics count them (the same person on two servers is one user).
 */
function top10(name: string, key: Prisma.Sql): TautulliCommand {
  return {
    name,
    async run(ctx) {
      const g = await graphContext(ctx, 30);
      const where = sinceDays(g);
      const sort = Prisma.raw(g.yAxis === 'duration' ? 'duration' : 'plays');
      const top = await db.$queryRaw<{ k: string }[]>`
        SELECT ${key} AS k, count(*)::int AS plays, COALESCE(sum(${WATCHED}), 0)::int AS duration
        FROM "Play" p WHERE ${where} AND NULLIF(${key}, '') IS NOT NULL GROUP BY 1 ORDER BY ${sort} DESC, max(p."startedAt") DESC, 1 ASC LIMIT 10`;
      const keys = top.map((t) => t.k);
      const rows = keys.length ? await buckets(Prisma.sql`${where} AND ${key} IN (${Prisma.join(keys)})`, key, MEDIA) : [];
      return build(keys, keys, rows, g.yAxis, MEDIA_SERIES, true);
    },
  };
}

const concurrentByStreamType: TautulliCommand = {
  name: 'get_concurrent_streams_by_stream_type',
  async run(ctx) {
    const g = await graphContext(ctx, 30);
    const dates = lastDays(g.today, g.range);
    const byDay = new Map<string, PlaySpan[]>();
    for (const p of await playSpans(sinceDays(g), Date.now() / 1000, Prisma.sql`to_char(${g.local}, 'YYYY-MM-DD')`)) {
      const list = byDay.get(p.d) ?? [];
      list.push(p);
      byDay.set(p.d, list);
    }
    const max = (spans: { started: number; stopped: number }[]) => (spans.length ? mostConcurrent('', spans).count : 0);
    const series: Series[] = STREAM_SERIES.map(([name, value]) => ({ name, data: dates.map((d) => max((byDay.get(d) ?? []).filter((s) => s.decision === value))) }));
    series.push({ name: 'Max. Concurrent Streams', data: dates.map((d) => max(byDay.get(d) ?? [])) });
    return { categories: dates, series };
  },
};

export const graphCommands: TautulliCommand[] = [
  byDate('get_plays_by_date', 'media'),
  byDayOfWeek,
  byHourOfDay,
  perMonth,
  top10('get_plays_by_top_10_platforms', Prisma.sql`p."platform"`),
  top10('get_plays_by_top_10_users', Prisma.sql`p."mediaUser"`),
  byDate('get_plays_by_stream_type', 'stream'),
  concurrentByStreamType,
];
