'use client';
// A tooltip styled with the theme's classes: recharts' own is a white box whose label takes the
// page's text colour, unreadable on the dark theme.
import type { ReactNode } from 'react';

export interface ChartTooltipProps {
  active?: boolean;
  label?: string | number;
  payload?: readonly { name?: ReactNode; value?: unknown; color?: string; dataKey?: unknown }[];
  formatLabel?: (label: string | number) => string;
  formatValue?: (value: number) => string;
}

export function ChartTooltip({ active, label, payload, formatLabel, formatValue }: ChartTooltipProps) {
  if (!active || !payload?.length) return null;
  return (
    <div className="rounded-md border border-zinc-200 bg-white px-3 py-2 text-xs text-zinc-900 shadow-sm dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100">
      {label !== undefined ? <p className="mb-1 font-medium">{formatLabel ? formatLabel(label) : String(label)}</p> : null}
      <ul className="space-y-0.5">
        {payload.map((p) => (
          <li key={String(p.dataKey ?? p.name)} className="flex items-center gap-2">
            <span aria-hidden className="inline-block h-2 w-2 rounded-sm" style={{ backgroundColor: p.color }} />
            <span>{p.name}</span>
            <span className="ml-auto pl-3 tabular-nums">{formatValue ? formatValue(Number(p.value)) : String(p.value)}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
