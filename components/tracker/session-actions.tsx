'use client';
// Edits on /tracker/sessions/[id]: delete an item, undo the last one (open sessions), change the
// target, delete the whole session.
import { useState, useTransition } from 'react';
import { useRouter } from 'next/navigation';
import { buttonClass, inputClass } from '@/components/ui/form';
import { callApi, errorMessage, type CallApiInit } from '@/components/ui/api';

/** null when it worked, else the message to show. */
async function call(path: string, init: CallApiInit): Promise<string | null> {
  try {
    await callApi(path, init);
    return null;
  } catch (err) {
    return errorMessage(err);
  }
}

export function useSessionAction() {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [pending, start] = useTransition();
  const run = (fn: () => Promise<string | null>, after?: () => void) =>
    start(async () => {
      const err = await fn();
      setError(err);
      if (!err) (after ?? router.refresh)();
    });
  return { error, pending, run, router };
}

export function DeleteItemButton({ sessionId, index }: { sessionId: string; index: number }) {
  const { error, pending, run } = useSessionAction();
  return (
    <>
      <button
        type="button"
        disabled={pending}
        className="text-red-600 hover:underline disabled:opacity-60 dark:text-red-400"
        aria-label={`Delete item ${index}`}
        onClick={() => confirm(`Delete item ${index}? Later items move up.`) && run(() => call(`/api/tracker/sessions/${sessionId}/items/${index}`, { method: 'DELETE' }))}
      >
        Delete
      </button>
      {error ? <span role="alert" className="ml-2 text-xs text-red-600">{error}</span> : null}
    </>
  );
}

export function SessionControls({ sessionId, open, targetS, hasItems }: { sessionId: string; open: boolean; targetS: number; hasItems: boolean }) {
  const { error, pending, run, router } = useSessionAction();
  return (
    <div className="flex flex-wrap items-end gap-3">
      <form
        className="flex items-end gap-2"
        onSubmit={(e) => {
          e.preventDefault();
          const minutes = Number(new FormData(e.currentTarget).get('targetMin'));
          run(() => call(`/api/tracker/sessions/${sessionId}`, { method: 'PATCH', body: { targetS: Math.round(minutes * 60) } }));
        }}
      >
        <label className="space-y-1 text-sm">
          <span className="block font-medium">Target (minutes per item)</span>
          <input name="targetMin" type="number" min={0.5} max={480} step={0.1} defaultValue={Math.round((targetS / 60) * 100) / 100} className={inputClass} />
        </label>
        <button type="submit" className={buttonClass} disabled={pending}>Save target</button>
      </form>
      {open && hasItems ? (
        <button type="button" className={buttonClass} disabled={pending} onClick={() => run(() => call('/api/tracker/events', { method: 'POST', body: { type: 'UNDO', timestamp: new Date().toISOString() } }))}>
          Undo last item
        </button>
      ) : null}
      <button
        type="button"
        disabled={pending}
        className="rounded-md border border-red-300 px-4 py-2 text-sm text-red-700 hover:bg-red-50 disabled:opacity-60 dark:border-red-800 dark:text-red-400 dark:hover:bg-red-950"
        onClick={() => confirm('Delete this session and all its items?') && run(() => call(`/api/tracker/sessions/${sessionId}`, { method: 'DELETE' }), () => router.push('/tracker'))}
      >
        Delete session
      </button>
      {error ? <p role="alert" className="w-full text-sm text-red-600 dark:text-red-400">{error}</p> : null}
    </div>
  );
}
