// The frame every chart sits in: a captioned figure, the empty state, and the text colour the axes
// and tooltip inherit (recharts draws in fixed greys by default, which vanish on the dark theme).
import type { ReactNode } from 'react';

export function ChartFrame({
  title,
  label,
  empty,
  emptyText = 'No data yet.',
  height = 'h-36',
  children,
}: {
  /** The visible caption. */
  title: ReactNode;
  /** What a screen reader hears for the chart as a whole. */
  label: string;
  empty: boolean;
  emptyText?: string;
  /** Tailwind height class of the plot area. */
  height?: string;
  children: ReactNode;
}) {
  return (
    <figure className="rounded-lg border border-zinc-200 p-3 text-zinc-500 dark:border-zinc-800 dark:text-zinc-400" aria-label={label}>
      <figcaption className="mb-2 text-sm font-medium text-zinc-900 dark:text-zinc-100">{title}</figcaption>
      {empty ? <p className="py-8 text-center text-sm">{emptyText}</p> : <div className={height}>{children}</div>}
    </figure>
  );
}
