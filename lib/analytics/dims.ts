// The dimensions of top lists and breakdowns: each a name computed from a play (null: not counted
// in that dimension's top list; shown as "unknown" in a breakdown). Shared by the rollup build and
// the raw reads, so both name a play the same way.
import { Prisma } from '@/generated/prisma/client';

export const TOP_KINDS = ['users', 'movies', 'shows', 'libraries', 'platforms', 'players', 'devices'] as const;
export type TopKind = (typeof TOP_KINDS)[number];
export const BREAKDOWN_KINDS = ['decisions', 'resolutions'] as const;
export type BreakdownKind = (typeof BREAKDOWN_KINDS)[number];
export type DimKind = TopKind | BreakdownKind;

/** users = media user; movies = title of movies; shows = series of episodes; players = product; devices = player. */
export const DIM_SQL: Record<DimKind, string> = {
  users: `p."mediaUser"`,
  movies: `CASE WHEN p."mediaType" = 'movie' THEN p."title" END`,
  shows: `CASE WHEN p."mediaType" = 'episode' THEN p."grandparentTitle" END`,
  libraries: `p."library"`,
  platforms: `p."platform"`,
  players: `p."product"`,
  devices: `p."player"`,
  decisions: `p."decision"`,
  resolutions: `COALESCE(NULLIF(p."detail"->'stream'->>'streamResolution', ''), NULLIF(p."detail"->'stream'->>'sourceResolution', ''))`,
};
export const DIM_KINDS = [...TOP_KINDS, ...BREAKDOWN_KINDS] as DimKind[];

/** (kind, name) pairs of a play `p`, as a LATERAL VALUES list; names '' = unknown. */
export const DIM_VALUES_SQL = Prisma.raw(
  `(VALUES ${DIM_KINDS.map((k) => `('${k}', COALESCE(${DIM_SQL[k]}, ''))`).join(', ')}) AS v("kind", "name")`,
);
