'use client';
// The dashboard's live view: one EventSource on /api/events; the server pushes a fresh view after
// every poll that changed something, so there is no polling loop in the browser. Bandwidth samples
// come once: later views carry only the new ones, appended to the series held here.
import { useEffect, useState } from 'react';
import Link from 'next/link';
import type { LiveView } from '@/lib/servers/live-view';
import { mergeBandwidth } from '@/lib/servers/bandwidth-window';
import { BandwidthChart } from './bandwidth-chart';
import { HealthBadge } from './health-badge';
import { SessionCard } from './session-card';
import { formatKbps } from './format';

export function LiveDashboard({ initial, canTerminate, canManage }: { initial: LiveView; canTerminate: boolean; canManage: boolean }) {
  const [view, setView] = useState(initial);
  const [connected, setConnected] = useState(false);

  useEffect(() => {
    const es = new EventSource('/api/events');
    es.addEventListener('live', (e) => {
      const next = JSON.parse((e as MessageEvent<string>).data) as LiveView;
      setView((held) => ({ ...next, bandwidth: mergeBandwidth(held.bandwidth, next) }));
      setConnected(true);
    });
    es.onerror = () => setConnected(false);
    return () => es.close();
  }, []);

  const servers = view.servers.filter((s) => s.enabled);
  if (view.servers.length === 0) {
    return (
      <div className="rounded-xl border border-dashed border-zinc-300 p-10 text-center dark:border-zinc-700" data-testid="empty-state">
        <h2 className="text-lg font-semibold">No media servers yet</h2>
        <p className="mx-auto mt-2 max-w-prose text-sm text-zinc-600 dark:text-zinc-400">
          Connect a Plex, Jellyfin or Emby server to see who is watching what. No server at hand? Run <code>npm run fakes</code>.
        </p>
        {canManage ? <Link href="/servers" className="mt-4 inline-block rounded-md bg-indigo-600 px-4 py-2 text-sm font-medium text-white hover:bg-indigo-500">Add a media server</Link> : null}
      </div>
    );
  }
  const total = view.sessions.reduce((sum, s) => sum + s.bandwidthKbps, 0);
  return (
    <div className="space-y-6">
      <section aria-label="Servers" className="flex flex-wrap items-center gap-3 text-sm">
        {servers.map((s) => (
          <Link key={s.id} href={`/servers/${s.id}`} className="inline-flex items-center gap-2 rounded-md border border-zinc-200 px-2 py-1 hover:bg-zinc-50 dark:border-zinc-800 dark:hover:bg-zinc-900" data-testid="server-chip">
            <span>{s.name}</span>
            <HealthBadge health={s.health} error={s.lastError} />
          </Link>
        ))}
        <span className="ml-auto text-zinc-500" data-testid="live-status">
          {view.sessions.length} stream{view.sessions.length === 1 ? '' : 's'} · {formatKbps(total)} · {connected ? 'live' : 'connecting…'}
        </span>
      </section>

      {servers.filter((s) => s.health === 'down').map((s) => (
        <p key={s.id} role="status" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800 dark:border-red-900 dark:bg-red-950 dark:text-red-300">
          {s.name} is offline: {s.lastError ?? 'no answer'}. Marquee keeps retrying with backoff.
        </p>
      ))}

      <section aria-label="Now playing">
        {view.sessions.length === 0 ? (
          <div className="rounded-xl border border-dashed border-zinc-300 p-8 text-center text-sm text-zinc-600 dark:border-zinc-700 dark:text-zinc-400" data-testid="nothing-playing">
            Nothing is playing right now.
          </div>
        ) : (
          <div className="grid gap-3 md:grid-cols-2 2xl:grid-cols-3">
            {view.sessions.map((s) => <SessionCard key={s.id} s={s} canTerminate={canTerminate} />)}
          </div>
        )}
      </section>

      <section aria-label="Bandwidth" className="grid gap-3 md:grid-cols-2">
        {servers.map((s) => <BandwidthChart key={s.id} label={s.name} points={view.bandwidth[s.id] ?? []} />)}
      </section>
    </div>
  );
}
