'use client';
// Counts per category split by series (plays per day by media type, by platform…).
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { ReactNode } from 'react';
import { ChartFrame } from './chart-frame';
import { ChartTooltip } from './chart-tooltip';
import { axisTick, colorOf, type Series } from './series';

export function StackedBarChart<K extends string>({
  title,
  label,
  rows,
  series,
  formatValue = String,
  emptyText,
  height = 'h-56',
  onCategoryClick,
  stacked = true,
}: {
  title: ReactNode;
  label: string;
  /** One bar per row; `category` is its axis label. */
  rows: readonly ({ category: string } & Partial<Record<K, number>>)[];
  series: readonly Series<K>[];
  formatValue?: (v: number) => string;
  emptyText?: string;
  height?: string;
  /** Called with the row index when a bar's column is clicked (pointer only: give keyboard users a link list too). */
  onCategoryClick?: (index: number) => void;
  /** false draws the series side by side (values that do not add up, such as peaks). */
  stacked?: boolean;
}) {
  return (
    <ChartFrame title={title} label={label} empty={rows.length === 0} emptyText={emptyText} height={height}>
      <ResponsiveContainer width="100%" height="100%">
        <BarChart
          data={[...rows]}
          margin={{ top: 4, right: 8, bottom: 0, left: 0 }}
          style={onCategoryClick ? { cursor: 'pointer' } : undefined}
          onClick={
            onCategoryClick
              ? (state) => {
                  const i = Number(state.activeTooltipIndex ?? undefined);
                  if (Number.isInteger(i) && i >= 0 && i < rows.length) onCategoryClick(i);
                }
              : undefined
          }
        >
          <CartesianGrid stroke="currentColor" strokeOpacity={0.15} vertical={false} />
          <XAxis dataKey="category" tick={axisTick} stroke="currentColor" />
          <YAxis tickFormatter={formatValue} width={56} tick={axisTick} stroke="currentColor" allowDecimals={false} />
          <Tooltip content={<ChartTooltip formatValue={formatValue} />} cursor={{ fill: 'currentColor', fillOpacity: 0.08 }} />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          {series.map((s, i) => (
            <Bar key={s.key} dataKey={s.key} name={s.name} stackId={stacked ? 'stack' : undefined} fill={colorOf(s, i)} isAnimationActive={false} />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </ChartFrame>
  );
}
