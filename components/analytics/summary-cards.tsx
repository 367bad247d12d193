// The headline numbers of a report.
import { StatCard } from '@/components/charts';
import { formatCount, formatRate, formatWatchTime } from './format';
import type { AnalyticsReport } from './types';

export function SummaryCards({ summary }: { summary: AnalyticsReport['summary'] }) {
  return (
    <div className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-5" data-testid="analytics-summary">
      <StatCard label="Plays" value={formatCount(summary.plays)} />
      <StatCard label="Active users" value={formatCount(summary.activeUsers)} />
      <StatCard label="Watch time" value={formatWatchTime(summary.watchTimeS)} />
      <StatCard label="Completion rate" value={formatRate(summary.completionRate, summary.plays)} hint="Plays watched to the end" />
      <StatCard label="Transcode rate" value={formatRate(summary.transcodeRate, summary.plays)} hint="Plays the server transcoded" />
    </div>
  );
}
