'use client';
import { useState } from 'react';
import type { NormalizedSession } from '@/lib/servers/sessions';
import { decisionLabel, displayTitle, formatKbps, formatMs } from './format';
import { callApi, errorMessage } from '@/components/ui/api';

export function SessionCard({ s, canTerminate }: { s: NormalizedSession; canTerminate: boolean }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const pct = s.durationMs > 0 ? Math.min(100, (s.progressMs / s.durationMs) * 100) : 0;

  async function terminate() {
    const message = window.prompt('Message to show the viewer (optional):', 'This stream was stopped by the server administrator.');
    if (message === null) return;
    setBusy(true);
    setError(null);
    try {
      await callApi(`/api/sessions/${s.id}`, { method: 'DELETE', body: message ? { message } : {} });
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <article data-testid="session-card" data-session-id={s.id} className="flex gap-3 rounded-lg border border-zinc-200 bg-white p-3 shadow-sm dark:border-zinc-800 dark:bg-zinc-900">
      <div className="h-36 w-24 shrink-0 overflow-hidden rounded bg-zinc-200 dark:bg-zinc-800">
        {/* Posters come through our authenticated proxy; next/image would re-fetch them without the cookie. */}
        {/* eslint-disable-next-line @next/next/no-img-element */}
        {s.posterUrl ? <img src={s.posterUrl} alt="" loading="lazy" className="h-full w-full object-cover" /> : null}
      </div>
      <div className="min-w-0 flex-1 text-sm">
        <div className="flex items-start justify-between gap-2">
          <h3 className="truncate font-semibold" title={displayTitle(s)}>{displayTitle(s)}</h3>
          <span className={`shrink-0 rounded px-1.5 py-0.5 text-xs ${s.state === 'playing' ? 'bg-emerald-100 text-emerald-800 dark:bg-emerald-900/40 dark:text-emerald-300' : 'bg-zinc-100 text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300'}`}>{s.state}</span>
        </div>
        <p className="text-zinc-600 dark:text-zinc-400">
          <span className="font-medium text-zinc-900 dark:text-zinc-100">{s.mediaUser ?? 'Unknown user'}</span> · {s.serverName}
        </p>
        <p className="truncate text-zinc-600 dark:text-zinc-400">{[s.player, s.platform, s.product].filter(Boolean).join(' · ')}</p>
        <p className="text-zinc-600 dark:text-zinc-400">
          {s.ipAddress ?? '—'} <span className={`ml-1 rounded px-1 text-xs ${s.isLocal ? 'bg-sky-100 text-sky-800 dark:bg-sky-900/40 dark:text-sky-300' : 'bg-orange-100 text-orange-800 dark:bg-orange-900/40 dark:text-orange-300'}`}>{s.isLocal ? 'LAN' : 'WAN'}</span>
        </p>
        <dl className="mt-1 grid grid-cols-2 gap-x-3 text-xs">
          <dt className="text-zinc-500">Stream</dt>
          <dd data-testid="decision">{decisionLabel[s.decision] ?? s.decision}</dd>
          <dt className="text-zinc-500">Video / audio</dt>
          <dd>{s.videoDecision ? decisionLabel[s.videoDecision] : '—'} / {s.audioDecision ? decisionLabel[s.audioDecision] : '—'}</dd>
          <dt className="text-zinc-500">Resolution</dt>
          <dd>{s.sourceResolution ?? '—'}{s.streamResolution && s.streamResolution !== s.sourceResolution ? ` → ${s.streamResolution}` : ''}{s.hdr ? ` · ${s.hdr}` : ''}</dd>
          <dt className="text-zinc-500">Bandwidth</dt>
          <dd>{formatKbps(s.bandwidthKbps)}</dd>
        </dl>
        <div className="mt-2" aria-label={`Progress ${Math.round(pct)}%`}>
          <div className="h-1.5 rounded bg-zinc-200 dark:bg-zinc-700" role="progressbar" aria-valuenow={Math.round(pct)} aria-valuemin={0} aria-valuemax={100}>
            <div className="h-1.5 rounded bg-indigo-500" style={{ width: `${pct}%` }} />
          </div>
          <p className="mt-0.5 text-xs text-zinc-500">{formatMs(s.progressMs)} / {formatMs(s.durationMs)}</p>
        </div>
        {canTerminate ? (
          <button type="button" onClick={() => void terminate()} disabled={busy} className="mt-2 rounded border border-red-300 px-2 py-1 text-xs text-red-700 hover:bg-red-50 focus:outline-none focus:ring-2 focus:ring-red-500 disabled:opacity-50 dark:border-red-800 dark:text-red-300 dark:hover:bg-red-950">
            {busy ? 'Stopping…' : 'Stop stream'}
          </button>
        ) : null}
        {error ? <p role="alert" className="mt-1 text-xs text-red-600">{error}</p> : null}
      </div>
    </article>
  );
}
