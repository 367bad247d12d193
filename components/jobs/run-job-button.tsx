'use client';
import { useState } from 'react';
import { useRouter } from 'next/navigation';
import { callApi, errorMessage } from '@/components/ui/api';

/** "Run now" for a recurring job: queues one run (the server audits it) and refreshes the table. */
export function RunJobButton({ name }: { name: string }) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  async function run() {
    setBusy(true);
    setMessage(null);
    try {
      await callApi(`/api/jobs/${encodeURIComponent(name)}/run`, { method: 'POST' });
      setMessage({ ok: true, text: 'Queued.' });
    } catch (err) {
      setMessage({ ok: false, text: errorMessage(err) });
    } finally {
      setBusy(false);
      router.refresh();
    }
  }
  return (
    <span className="inline-flex items-center gap-2">
      <button
        type="button"
        disabled={busy}
        onClick={() => void run()}
        className="rounded border border-zinc-300 px-2 py-1 text-xs hover:bg-zinc-50 focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-500 disabled:opacity-50 dark:border-zinc-700 dark:hover:bg-zinc-800"
      >
        {busy ? 'Queuing…' : 'Run now'}
      </button>
      {message ? <span role={message.ok ? 'status' : 'alert'} className={`text-xs ${message.ok ? 'text-emerald-600 dark:text-emerald-400' : 'text-red-600 dark:text-red-400'}`}>{message.text}</span> : null}
    </span>
  );
}
