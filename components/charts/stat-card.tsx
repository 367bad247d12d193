// One headline number with an optional change against the previous period.
import type { ReactNode } from 'react';

export function StatCard({ label, value, change, hint }: { label: string; value: ReactNode; change?: number | null; hint?: ReactNode }) {
  return (
    <div className="rounded-lg border border-zinc-200 p-3 dark:border-zinc-800">
      <p className="text-xs uppercase tracking-wide text-zinc-500 dark:text-zinc-400">{label}</p>
      <p className="mt-1 text-2xl font-semibold tabular-nums">{value}</p>
      {change !== undefined && change !== null ? (
        <p className={`text-xs ${change >= 0 ? 'text-emerald-700 dark:text-emerald-400' : 'text-red-600 dark:text-red-400'}`}>
          {change >= 0 ? '▲' : '▼'} {Math.abs(Math.round(change * 100))}% vs previous period
        </p>
      ) : null}
      {hint ? <p className="text-xs text-zinc-500 dark:text-zinc-400">{hint}</p> : null}
    </div>
  );
}
