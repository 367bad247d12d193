'use client';
import { Bar, BarChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

export interface HourPoint {
  hour: number;
  label: string;
  items: number;
  activeS: number;
}

/** Items finished per local hour; a DST day shows its 23 or 25 hours, labelled with the UTC offset. */
export function HourlyChart({ hours, caption }: { hours: HourPoint[]; caption: string }) {
  const data = hours.map((h, i) => ({ ...h, key: i, short: String(h.hour).padStart(2, '0'), activeMin: Math.round(h.activeS / 6) / 10 }));
  const total = hours.reduce((a, h) => a + h.items, 0);
  return (
    <figure className="rounded-lg border border-zinc-200 p-3 dark:border-zinc-800" aria-label={caption} data-testid="hourly-chart" data-hours={hours.length}>
      <figcaption className="mb-2 text-sm font-medium">{caption}</figcaption>
      {total === 0 ? (
        <p className="py-8 text-center text-sm text-zinc-500">No items finished on this day yet.</p>
      ) : (
        <div className="h-48">
          <ResponsiveContainer width="100%" height="100%">
            <BarChart data={data} margin={{ top: 4, right: 8, bottom: 0, left: 0 }}>
              <XAxis dataKey="short" interval={1} tick={{ fontSize: 11 }} />
              <YAxis allowDecimals={false} width={32} tick={{ fontSize: 11 }} />
              <Tooltip
                labelFormatter={(_l, payload) => (payload?.[0]?.payload as HourPoint | undefined)?.label ?? ''}
                formatter={(v, name) => (name === 'items' ? [v, 'items'] : [v, name])}
              />
              <Bar dataKey="items" name="items" fill="#6366f1" isAnimationActive={false} />
            </BarChart>
          </ResponsiveContainer>
        </div>
      )}
    </figure>
  );
}
