// A ranked list with proportional bars (top users, top titles, platforms): plain markup, so it
// reads well to screen readers and needs no chart library.
import Link from 'next/link';
import type { ReactNode } from 'react';

export interface BarListItem {
  key: string;
  label: ReactNode;
  value: number;
  href?: string;
}

export function BarList({
  title,
  items,
  formatValue = String,
  emptyText = 'Nothing yet.',
}: {
  title: ReactNode;
  items: readonly BarListItem[];
  formatValue?: (v: number) => string;
  emptyText?: string;
}) {
  const max = Math.max(0, ...items.map((i) => i.value));
  return (
    <section className="rounded-lg border border-zinc-200 p-3 dark:border-zinc-800">
      <h3 className="mb-2 text-sm font-medium">{title}</h3>
      {items.length === 0 ? (
        <p className="py-6 text-center text-sm text-zinc-500 dark:text-zinc-400">{emptyText}</p>
      ) : (
        <ol className="space-y-1 text-sm">
          {items.map((item) => (
            <li key={item.key} className="relative flex items-center justify-between gap-3 rounded px-2 py-1">
              <span
                aria-hidden
                className="absolute inset-y-0 left-0 rounded bg-indigo-100 dark:bg-indigo-950"
                style={{ width: `${max > 0 ? (item.value / max) * 100 : 0}%` }}
              />
              <span className="relative truncate">{item.href ? <Link href={item.href} className="hover:underline">{item.label}</Link> : item.label}</span>
              <span className="relative tabular-nums text-zinc-600 dark:text-zinc-300">{formatValue(item.value)}</span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
