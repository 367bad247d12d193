// Top lists (users, movies, shows, libraries, platforms, players, devices): plays desc, then watch
// time desc, then name; rows with no name are left out. One query for every list.
import { Prisma } from '@/generated/prisma/client';
import { db } from '../db';
import { coveredSql, DIM_GRAINS, plan, rawWhere, serverCond, watchSql, type Ctx } from './context';
import { DIM_VALUES_SQL, TOP_KINDS, type DimKind, type TopKind } from './dims';

export interface TopRow {
  name: string;
  plays: number;
  watchTimeS: number;
}

/** Rows per kind ('' names: dropped, or kept as "unknown"), `limit` per kind (null: all). */
export async function queryDims<K extends DimKind>(ctx: Ctx, kinds: readonly K[], opts: { limit: number | null; unknown: boolean }): Promise<Record<K, TopRow[]>> {
  const days = plan(ctx, DIM_GRAINS);
  const kindList = Prisma.join(kinds as readonly string[]);
  // One transaction so the grouping of many rollup rows gets the memory to stay off disk.
  const [, rows] = await db.$transaction([
    db.$executeRawUnsafe(`SET LOCAL work_mem = '64MB'`),
    db.$queryRaw<{ kind: K; name: string; plays: bigint; watch: bigint }[]>`
    SELECT y."kind", y."name", y."plays", y."watch" FROM (
      SELECT x."kind", x."name", sum(x."plays")::bigint AS "plays", sum(x."w")::bigint AS "watch",
        row_number() OVER (PARTITION BY x."kind" ORDER BY sum(x."plays") DESC, sum(x."w") DESC, x."name" COLLATE "C") AS "rn"
      FROM (
        SELECT d."kind", d."name", d."plays", d."watchS" AS "w" FROM "AnalyticsDim" d
        WHERE d."kind" IN (${kindList}) AND ${coveredSql(days, DIM_GRAINS, 'd."bucket"', 'd."grain"')} AND ${serverCond(ctx, 'd."serverId"')}
        UNION ALL
        -- OFFSET 0 keeps the watched time computed once per play, not once per play and dimension.
        SELECT v."kind", v."name", 1, p."w" FROM (SELECT p.*, ${watchSql(ctx.q.now)} AS "w" FROM "Play" p WHERE ${rawWhere(ctx, days)} OFFSET 0) p
        CROSS JOIN LATERAL ${DIM_VALUES_SQL}
        WHERE v."kind" IN (${kindList})
      ) x
      ${opts.unknown ? Prisma.empty : Prisma.sql`WHERE x."name" <> ''`}
      GROUP BY x."kind", x."name"
    ) y
    ${opts.limit === null ? Prisma.empty : Prisma.sql`WHERE y."rn" <= ${opts.limit}`}
    ORDER BY y."kind", y."rn"`,
  ]);
  const out = Object.fromEntries(kinds.map((k) => [k, [] as TopRow[]])) as Record<K, TopRow[]>;
  for (const r of rows) out[r.kind].push({ name: r.name === '' ? 'unknown' : r.name, plays: Number(r.plays), watchTimeS: Number(r.watch) });
  return out;
}

export async function queryTop(ctx: Ctx): Promise<Record<TopKind, TopRow[]>> {
  return queryDims(ctx, TOP_KINDS, { limit: ctx.q.limit, unknown: false });
}
