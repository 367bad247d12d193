'use client';
import { TimeSeriesChart } from '@/components/charts';
import type { BandwidthPoint } from '@/lib/servers/bandwidth-window';
import { formatKbps } from './format';

const SERIES = [
  { key: 'lanKbps', name: 'LAN', color: '#6366f1' },
  { key: 'wanKbps', name: 'WAN', color: '#f59e0b' },
] as const;

/** LAN and WAN bandwidth of one server over the last hour, stacked. */
export function BandwidthChart({ points, label }: { points: BandwidthPoint[]; label: string }) {
  return (
    <TimeSeriesChart
      title={`${label} · last hour`}
      label={`Bandwidth of ${label} over the last hour`}
      points={points}
      series={SERIES}
      stacked
      formatValue={formatKbps}
      emptyText="No samples yet."
    />
  );
}
