'use client';
// The top lists (users, movies, shows, libraries, platforms, players, devices): ten rows each, one
// list at a time expanded to a hundred. A row history can filter on links to those plays.
import Link from 'next/link';
import { useId } from 'react';
import { formatCount, formatWatchTime } from './format';
import { topRowHref, type LinkScope } from './links';
import { TOP_KEYS, type TopKey, type TopRow } from './types';

export const TOP_TITLES: Record<TopKey, string> = {
  users: 'Users',
  movies: 'Movies',
  shows: 'Shows',
  libraries: 'Libraries',
  platforms: 'Platforms',
  players: 'Players',
  devices: 'Devices',
};

/** Rows shown while a list is collapsed, and asked for when one is expanded. */
export const COLLAPSED_ROWS = 10;
export const EXPANDED_ROWS = 100;

function TopList({
  category,
  rows,
  scope,
  expanded,
  loading,
  onToggle,
}: {
  category: TopKey;
  rows: readonly TopRow[];
  scope: LinkScope;
  expanded: boolean;
  loading: boolean;
  onToggle: () => void;
}) {
  const id = useId();
  const title = TOP_TITLES[category];
  const max = Math.max(0, ...rows.map((r) => r.plays));
  // A collapsed list that came back full may have more; an expanded one always offers to collapse.
  const canExpand = expanded || rows.length >= COLLAPSED_ROWS;
  const toggleText = expanded ? `Show top ${COLLAPSED_ROWS}` : `Show top ${EXPANDED_ROWS}`;
  return (
    <section aria-labelledby={`${id}-h`} className={`rounded-lg border border-zinc-200 p-3 dark:border-zinc-800 ${expanded ? 'md:col-span-2 xl:col-span-3' : ''}`}>
      <div className="mb-2 flex items-center justify-between gap-2">
        <h3 id={`${id}-h`} className="text-sm font-medium">
          {title}
        </h3>
        {canExpand ? (
          <button
            type="button"
            onClick={onToggle}
            aria-expanded={expanded}
            aria-controls={`${id}-t`}
            aria-label={`${toggleText} ${title.toLowerCase()}`}
            className="rounded px-2 py-0.5 text-xs text-indigo-700 underline-offset-2 hover:underline focus-visible:outline-2 focus-visible:outline-indigo-500 dark:text-indigo-300"
          >
            {toggleText}
          </button>
        ) : null}
      </div>
      {rows.length === 0 ? (
        <p className="py-6 text-center text-sm text-zinc-500 dark:text-zinc-400">None in this range.</p>
      ) : (
        <table id={`${id}-t`} aria-labelledby={`${id}-h`} aria-busy={loading || undefined} className="w-full table-fixed text-sm" data-testid={`top-${category}`}>
          <thead className="text-xs text-zinc-500 dark:text-zinc-400">
            <tr>
              <th scope="col" className="w-8 text-left font-normal">
                #
              </th>
              <th scope="col" className="text-left font-normal">
                Name
              </th>
              <th scope="col" className="w-16 text-right font-normal">
                Plays
              </th>
              <th scope="col" className="w-24 text-right font-normal">
                Watch time
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row, i) => {
              const href = topRowHref(category, row.name, scope);
              const name = row.name ?? 'Unknown';
              return (
                <tr key={`${i}-${row.name}`}>
                  <td className="py-1 tabular-nums text-zinc-500 dark:text-zinc-400">{i + 1}</td>
                  <td className="relative py-1 pr-2">
                    <span
                      aria-hidden
                      className="absolute inset-y-0.5 left-0 rounded bg-indigo-100 dark:bg-indigo-950"
                      style={{ width: `${max > 0 ? (row.plays / max) * 100 : 0}%` }}
                    />
                    <span className="relative block truncate px-1" title={name}>
                      {href ? (
                        <Link href={href} className="hover:underline focus-visible:underline">
                          {name}
                        </Link>
                      ) : (
                        name
                      )}
                    </span>
                  </td>
                  <td className="py-1 text-right tabular-nums">{formatCount(row.plays)}</td>
                  <td className="py-1 text-right tabular-nums text-zinc-600 dark:text-zinc-300">{formatWatchTime(row.watchTimeS)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {loading ? (
        <p role="status" className="mt-2 text-xs text-zinc-500">
          Loading the top {EXPANDED_ROWS}…
        </p>
      ) : null}
    </section>
  );
}

export function TopLists({
  top,
  scope,
  expanded,
  expandedRows,
  expandedLoading,
  onExpand,
}: {
  top: Record<TopKey, TopRow[]>;
  scope: LinkScope;
  expanded: TopKey | null;
  /** The expanded list's rows once fetched (up to 100). */
  expandedRows: readonly TopRow[] | null;
  expandedLoading: boolean;
  onExpand: (category: TopKey | null) => void;
}) {
  return (
    <div className="grid gap-3 md:grid-cols-2 xl:grid-cols-3">
      {TOP_KEYS.map((category) => {
        const isExpanded = expanded === category;
        const rows = isExpanded && expandedRows ? expandedRows : (top[category] ?? []).slice(0, COLLAPSED_ROWS);
        return (
          <TopList
            key={category}
            category={category}
            rows={rows}
            scope={scope}
            expanded={isExpanded}
            loading={isExpanded && expandedLoading}
            onToggle={() => onExpand(isExpanded ? null : category)}
          />
        );
      })}
    </div>
  );
}
