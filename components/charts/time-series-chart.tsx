'use client';
// Values over time as areas (stacked or overlaid): bandwidth, plays per hour, concurrent streams.
import { Area, AreaChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { ReactNode } from 'react';
import { ChartFrame } from './chart-frame';
import { ChartTooltip } from './chart-tooltip';
import { axisTick, colorOf, formatClock, type Series } from './series';

export function TimeSeriesChart<K extends string>({
  title,
  label,
  points,
  series,
  stacked = false,
  formatValue = String,
  formatTime = formatClock,
  emptyText,
  height,
}: {
  title: ReactNode;
  label: string;
  /** Each point's `at` is an ISO string or epoch ms; the series keys hold numbers. */
  points: readonly ({ at: string | number } & Partial<Record<K, number | null>>)[];
  series: readonly Series<K>[];
  stacked?: boolean;
  formatValue?: (v: number) => string;
  formatTime?: (t: number) => string;
  emptyText?: string;
  height?: string;
}) {
  const data = points.map((p) => ({ ...p, t: typeof p.at === 'number' ? p.at : new Date(p.at).getTime() }));
  return (
    <ChartFrame title={title} label={label} empty={data.length === 0} emptyText={emptyText} height={height}>
      <ResponsiveContainer width="100%" height="100%">
        <AreaChart data={data} margin={{ top: 4, right: 8, bottom: 0, left: 0 }}>
          <CartesianGrid stroke="currentColor" strokeOpacity={0.15} vertical={false} />
          <XAxis dataKey="t" type="number" domain={['dataMin', 'dataMax']} scale="time" tickFormatter={formatTime} tick={axisTick} stroke="currentColor" />
          <YAxis tickFormatter={formatValue} width={80} tick={axisTick} stroke="currentColor" />
          <Tooltip
            content={<ChartTooltip formatLabel={(t) => new Date(Number(t)).toLocaleTimeString()} formatValue={formatValue} />}
            cursor={{ stroke: 'currentColor', strokeOpacity: 0.3 }}
          />
          {series.map((s, i) => (
            <Area
              key={s.key}
              type="monotone"
              dataKey={s.key}
              name={s.name}
              stackId={stacked ? 'stack' : undefined}
              stroke={colorOf(s, i)}
              fill={colorOf(s, i)}
              fillOpacity={0.35}
              isAnimationActive={false}
            />
          ))}
        </AreaChart>
      </ResponsiveContainer>
    </ChartFrame>
  );
}
