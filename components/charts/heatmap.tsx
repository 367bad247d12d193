// A grid of counts coloured by size (plays by hour of day × day of week): a plain table, so rows and
// columns have headers a screen reader announces, each cell names its value, and a legend says
// what each colour holds. Colours work on both themes (darker is more on light, brighter on dark).
import type { ReactNode } from 'react';
import { ChartFrame } from './chart-frame';
import { formatLegendStep, heatLegend, heatLevel } from './heatmap-scale';

const LEVEL_CLASSES = [
  'bg-zinc-100 dark:bg-zinc-800',
  'bg-indigo-100 dark:bg-indigo-950',
  'bg-indigo-200 dark:bg-indigo-900',
  'bg-indigo-400 dark:bg-indigo-700',
  'bg-indigo-600 dark:bg-indigo-500',
  'bg-indigo-800 dark:bg-indigo-300',
] as const;

export interface HeatmapAxisItem {
  key: string;
  /** Short header text ("Mon", "14"). */
  label: string;
}

export function Heatmap({
  title,
  label,
  rows,
  columns,
  values,
  describe,
  emptyText,
  legendLabel = 'Count',
}: {
  title: ReactNode;
  label: string;
  rows: readonly HeatmapAxisItem[];
  columns: readonly HeatmapAxisItem[];
  /** values[row][column]. */
  values: readonly (readonly number[])[];
  /** A cell's full description: its tooltip and (as hidden text) what a screen reader reads ("Monday 14:00–15:00: 3 plays"). */
  describe: (rowIndex: number, columnIndex: number, value: number) => string;
  emptyText?: string;
  legendLabel?: string;
}) {
  const max = Math.max(0, ...values.flat());
  const legend = heatLegend(max);
  return (
    <ChartFrame title={title} label={label} empty={max === 0} emptyText={emptyText} height="">
      <div className="overflow-x-auto">
        <table className="w-full min-w-[22rem] table-fixed border-separate border-spacing-0.5 text-[10px] text-zinc-500 dark:text-zinc-400">
          <thead>
            <tr>
              <th scope="col" className="w-10">
                <span className="sr-only">Day</span>
              </th>
              {columns.map((c) => (
                <th key={c.key} scope="col" className="font-normal">
                  {c.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((r, ri) => (
              <tr key={r.key}>
                <th scope="row" className="pr-1 text-right font-normal">
                  {r.label}
                </th>
                {columns.map((c, ci) => {
                  const v = values[ri]?.[ci] ?? 0;
                  const text = describe(ri, ci, v);
                  return (
                    <td key={c.key} title={text} data-value={v} className={`h-5 rounded-sm ${LEVEL_CLASSES[heatLevel(v, max)]}`}>
                      <span className="sr-only">{text}</span>
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="mt-2 flex flex-wrap items-center gap-2 text-xs" aria-label={`${legendLabel} legend`} role="group">
        <span>{legendLabel}:</span>
        {legend.map((step) => (
          <span key={step.level} className="inline-flex items-center gap-1">
            <span aria-hidden className={`inline-block h-3 w-3 rounded-sm ${LEVEL_CLASSES[step.level]}`} />
            {formatLegendStep(step)}
          </span>
        ))}
      </div>
    </ChartFrame>
  );
}
