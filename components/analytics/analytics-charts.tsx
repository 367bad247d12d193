'use client';
// The report's charts: plays per day by media type (a bar opens that day's history), plays by hour
// of day × day of week, peak concurrent streams per day by decision, and the decision and
// resolution breakdowns.
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { BarList, Heatmap, StackedBarChart } from '@/components/charts';
import { formatCount, formatDay, formatHourSpan, formatPlays, WEEKDAYS } from './format';
import { dayHref, decisionHref, type LinkScope } from './links';
import type { AnalyticsReport } from './types';

const MEDIA_SERIES = [
  { key: 'movie', name: 'Movies' },
  { key: 'episode', name: 'Episodes' },
  { key: 'track', name: 'Music' },
  { key: 'other', name: 'Other' },
] as const;

const CONCURRENT_SERIES = [
  { key: 'total', name: 'All streams', color: '#6366f1' },
  { key: 'directplay', name: 'Direct play', color: '#10b981' },
  { key: 'directstream', name: 'Direct stream', color: '#0ea5e9' },
  { key: 'transcode', name: 'Transcode', color: '#f59e0b' },
] as const;

const DECISION_NAMES: Record<string, string> = { directplay: 'Direct play', directstream: 'Direct stream', transcode: 'Transcode' };

export function PlaysPerDayChart({ days, timezone, serverId }: { days: AnalyticsReport['playsPerDay']; timezone: string; serverId?: string }) {
  const router = useRouter();
  const rows = days.map((d) => ({ category: formatDay(d.date), movie: d.movie, episode: d.episode, track: d.track, other: d.other }));
  return (
    <div>
      <StackedBarChart
        title="Plays per day"
        label="Plays per day, stacked by media type. Click a day to open its history."
        rows={rows}
        series={MEDIA_SERIES}
        emptyText="No plays in this range."
        onCategoryClick={(i) => {
          const href = days[i] ? dayHref(days[i].date, timezone, serverId) : undefined;
          if (href) router.push(href);
        }}
      />
      {days.length > 0 ? (
        <details className="mt-1 text-sm">
          <summary className="cursor-pointer text-xs text-zinc-500 dark:text-zinc-400">Plays per day as a table</summary>
          <table className="mt-2 w-full text-left text-xs" data-testid="plays-per-day-table">
            <thead className="text-zinc-500 dark:text-zinc-400">
              <tr>
                <th scope="col" className="py-1 font-normal">Day</th>
                {MEDIA_SERIES.map((s) => (
                  <th key={s.key} scope="col" className="py-1 text-right font-normal">
                    {s.name}
                  </th>
                ))}
                <th scope="col" className="py-1 text-right font-normal">Total</th>
              </tr>
            </thead>
            <tbody>
              {days.map((d) => (
                <tr key={d.date} className="border-t border-zinc-200 dark:border-zinc-800">
                  <th scope="row" className="py-1 font-normal">
                    <Link className="underline" href={dayHref(d.date, timezone, serverId) ?? '/history'}>
                      {formatDay(d.date, true)}
                    </Link>
                  </th>
                  {MEDIA_SERIES.map((s) => (
                    <td key={s.key} className="py-1 text-right tabular-nums">
                      {formatCount(d[s.key])}
                    </td>
                  ))}
                  <td className="py-1 text-right tabular-nums">{formatCount(d.movie + d.episode + d.track + d.other)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      ) : null}
    </div>
  );
}

// Monday first; the report's weekday counts from Sunday = 0.
const WEEK_ORDER = [1, 2, 3, 4, 5, 6, 0] as const;
const HOURS = Array.from({ length: 24 }, (_, h) => h);

export function HourHeatmap({ cells, timezone }: { cells: AnalyticsReport['hourByWeekday']; timezone: string }) {
  const values = WEEK_ORDER.map(() => HOURS.map(() => 0));
  for (const c of cells) {
    const row = WEEK_ORDER.indexOf(c.weekday as (typeof WEEK_ORDER)[number]);
    if (row >= 0 && c.hour >= 0 && c.hour < 24) values[row]![c.hour]! += c.plays;
  }
  return (
    <Heatmap
      title={`Plays by hour and weekday (${timezone})`}
      label="Plays by hour of day and day of week"
      rows={WEEK_ORDER.map((d) => ({ key: String(d), label: WEEKDAYS[d].slice(0, 3) }))}
      columns={HOURS.map((h) => ({ key: String(h), label: String(h) }))}
      values={values}
      describe={(ri, ci, v) => `${WEEKDAYS[WEEK_ORDER[ri]!]} ${formatHourSpan(ci)}: ${formatPlays(v)}`}
      legendLabel="Plays"
      emptyText="No plays in this range."
    />
  );
}

export function ConcurrentChart({ days }: { days: AnalyticsReport['concurrent'] }) {
  // Each decision has its own daily peak and the total is the peak of all together, so the bars
  // stand side by side, not stacked (stacking would add peaks of different moments).
  const rows = days.map((d) => ({ category: formatDay(d.date), total: d.total, directplay: d.directplay, directstream: d.directstream, transcode: d.transcode }));
  return (
    <StackedBarChart
      title="Peak concurrent streams per day"
      label="The most streams playing at once each day, in total and for each stream decision"
      rows={days.some((d) => d.total > 0) ? rows : []}
      series={CONCURRENT_SERIES}
      stacked={false}
      emptyText="No streams in this range."
    />
  );
}

export function Breakdowns({ decisions, resolutions, scope }: { decisions: AnalyticsReport['decisions']; resolutions: AnalyticsReport['resolutions']; scope: LinkScope }) {
  return (
    <div className="grid gap-3 md:grid-cols-2">
      <BarList
        title="Stream decisions"
        items={decisions.map((d) => ({ key: d.name ?? 'unknown', label: d.name ? (DECISION_NAMES[d.name] ?? d.name) : 'Unknown', value: d.plays, href: decisionHref(d.name, scope) }))}
        formatValue={formatPlays}
        emptyText="No plays in this range."
      />
      <BarList
        title="Stream resolutions"
        items={resolutions.map((r) => ({ key: r.name ?? 'unknown', label: r.name ?? 'Unknown', value: r.plays }))}
        formatValue={formatPlays}
        emptyText="No plays in this range."
      />
    </div>
  );
}
