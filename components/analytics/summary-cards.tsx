// The headline numbers of a report.
import { StatCard } from '@/components/charts';
import { formatCount, formatRate, formatWatchTime } from './format';
import type { AnalyticsReport } from './types';

export function SummaryCards({ summary }: { summary: AnalyticsReport['summary'] }) {
  const cards = [
    { id: 'plays', label: 'Plays', value: formatCount(summary.plays) },
    { id: 'active-users', label: 'Active users', value: formatCount(summary.activeUsers) },
    { id: 'watch-time', label: 'Watch time', value: formatWatchTime(summary.watchTimeS) },
    { id: 'completion-rate', label: 'Completion rate', value: formatRate(summary.completionRate, summary.plays), hint: 'Plays watched to completion' },
    { id: 'transcode-rate', label: 'Transcode rate', value: formatRate(summary.transcodeRate, summary.plays), hint: 'Plays the server transcoded' },
  ];
  return (
    <div className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-5" data-testid="analytics-summary">
      {cards.map((c) => (
        <div key={c.id} data-testid={`summary-${c.id}`}>
          <StatCard label={c.label} value={c.value} hint={c.hint} />
        </div>
      ))}
    </div>
  );
}
