'use client';
import { useState } from 'react';
import { useRouter } from 'next/navigation';
import { callApi, errorMessage } from '@/components/ui/api';

export function ServerRowActions({ id, enabled, pollIntervalS }: { id: string; enabled: boolean; pollIntervalS: number }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  async function call(method: string, body?: unknown) {
    setError(null);
    await callApi(`/api/servers/${id}`, { method, body }).catch((err: unknown) => setError(errorMessage(err)));
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
