// The dashboard's "top items": movies and shows ranked together. Pure, unit-tested.
import type { TopRow } from './types';

export interface TopItem extends TopRow {
  kind: 'movies' | 'shows';
}

/** Movies and shows merged by plays (then watch time, then name), the first `n`. */
export function topItems(top: { movies: readonly TopRow[]; shows: readonly TopRow[] }, n = 5): TopItem[] {
  return [...top.movies.map((r) => ({ ...r, kind: 'movies' as const })), ...top.shows.map((r) => ({ ...r, kind: 'shows' as const }))]
    .sort((a, b) => b.plays - a.plays || b.watchTimeS - a.watchTimeS || (a.name ?? '').localeCompare(b.name ?? ''))
    .slice(0, n);
}
