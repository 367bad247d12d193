'use client';
import { Area, AreaChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { BandwidthPoint } from '@/lib/servers/bandwidth-window';
import { formatKbps } from './format';

export function BandwidthChart({ points, label }: { points: BandwidthPoint[]; label: string }) {
  const data = points.map((p) => ({ ...p, t: new Date(p.at).getTime() }));
  return (
    <figure className="rounded-lg border border-zinc-200 p-3 dark:border-zinc-800" aria-label={`Bandwidth of ${label} over the last hour`}>
      <figcaption className="mb-2 text-sm font-medium">{label} · last hour</figcaption>
      {data.length === 0 ? (
        <p className="py-8 text-center text-sm text-zinc-500">No samples yet.</p>
      ) : (
        <div className="h-36">
          <ResponsiveContainer width="100%" height="100%">
            <AreaChart data={data} margin={{ top: 4, right: 8, bottom: 0, left: 0 }}>
              <XAxis dataKey="t" type="number" domain={['dataMin', 'dataMax']} scale="time" tickFormatter={(t: number) => new Date(t).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })} tick={{ fontSize: 11 }} />
              <YAxis tickFormatter={(v: number) => formatKbps(v)} width={72} tick={{ fontSize: 11 }} />
              <Tooltip labelFormatter={(t) => new Date(Number(t)).toLocaleTimeString()} formatter={(v) => formatKbps(Number(v))} />
              <Area type="monotone" dataKey="lanKbps" name="LAN" stackId="1" stroke="#6366f1" fill="#6366f1" fillOpacity={0.35} isAnimationActive={false} />
              <Area type="monotone" dataKey="wanKbps" name="WAN" stackId="1" stroke="#f59e0b" fill="#f59e0b" fillOpacity={0.35} isAnimationActive={false} />
            </AreaChart>
          </ResponsiveContainer>
        </div>
      )}
    </figure>
  );
}
