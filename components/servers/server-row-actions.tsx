'use client';
import { useState } from 'react';
import { useRouter } from 'next/navigation';
import { apiErrorMessage } from './api-error';

export function ServerRowActions({ id, enabled, pollIntervalS }: { id: string; enabled: boolean; pollIntervalS: number }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  async function call(method: string, body?: unknown) {
    setError(null);
    const res = await fetch(`/api/servers/${id}`, { method, headers: { 'content-type': 'application/json' }, body: body ? JSON.stringify(body) : undefined });
    if (!res.ok) setError(await apiErrorMessage(res, 'Failed.'));
    router.refresh();
  }
  const btn = 'rounded border border-zinc-300 px-2 py-1 text-xs hover:bg-zinc-50 dark:border-zinc-700 dark:hover:bg-zinc-800';
  return (
    <div className="flex flex-wrap items-center gap-2">
      <button type="button" className={btn} onClick={() => void call('PATCH', { enabled: !enabled })}>{enabled ? 'Disable' : 'Enable'}</button>
      <button type="button" className={btn} onClick={() => { const v = window.prompt('Poll interval (seconds)', String(pollIntervalS)); if (v) void call('PATCH', { pollIntervalS: Number(v) }); }}>Interval</button>
      <button type="button" className={btn} onClick={() => { const t = window.prompt('New token / API key'); if (t) void call('PATCH', { token: t }); }}>Token</button>
      <button type="button" className={`${btn} text-red-700 dark:text-red-300`} onClick={() => { if (window.confirm('Delete this server and its live data?')) void call('DELETE'); }}>Delete</button>
      {error ? <span role="alert" className="text-xs text-red-600">{error}</span> : null}
    </div>
  );
}
