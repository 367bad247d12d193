'use client';
// The open session on the /tracker page: a ticking current-item timer and buttons (and the same
// N/P/U/X keys) that send events with the page's session cookie.
import { useCallback, useEffect, useState } from 'react';
import { useRouter } from 'next/navigation';
import { buttonClass } from '@/components/ui/form';
import { callApi, errorMessage } from '@/components/ui/api';

export interface CurrentState {
  open: boolean;
  sessionId?: string;
  items: number;
  paused?: boolean;
  currentStartedAt?: string | null;
  pausedMs?: number;
  pausedAt?: string | null;
  avgActiveMmss?: string | null;
  targetMmss?: string;
  lastItemMmss?: string;
}

function mmss(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  return `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}

function elapsed(s: CurrentState, now: number): number {
  if (!s.open || !s.currentStartedAt) return 0;
  const paused = (s.pausedMs ?? 0) + (s.paused && s.pausedAt ? now - Date.parse(s.pausedAt) : 0);
  return now - Date.parse(s.currentStartedAt) - paused;
}

export function LiveSession({ initial, keys }: { initial: CurrentState; keys: { next: string; pause: string; undo: string; exit: string } }) {
  const [state, setState] = useState(initial);
  const [now, setNow] = useState(() => Date.now());
  const [error, setError] = useState<string | null>(null);
  const router = useRouter();

  useEffect(() => {
    const tick = setInterval(() => setNow(Date.now()), 1000);
    // The widget in another tab changes the session too: refresh the state now and then.
    const poll = setInterval(async () => {
      const current = await callApi<CurrentState>('/api/tracker/current').catch(() => null);
      if (current) setState(current);
    }, 5000);
    return () => (clearInterval(tick), clearInterval(poll));
  }, []);

  const send = useCallback(
    async (type: string) => {
      setError(null);
      try {
        setState(await callApi<CurrentState>('/api/tracker/events', { method: 'POST', body: { type, timestamp: new Date().toISOString() } }));
        router.refresh();
      } catch (err) {
        setError(errorMessage(err));
      }
    },
    [router],
  );

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement | null;
      if (e.ctrlKey || e.metaKey || e.altKey || (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName)))) return;
      const byKey: Record<string, string> = { [keys.next]: 'NEXT', [keys.pause]: 'PAUSE', [keys.undo]: 'UNDO', [keys.exit]: 'EXIT' };
      const type = byKey[e.key.toLowerCase()];
      if (type) {
        e.preventDefault();
        void send(type);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [send, keys]);

  return (
    <section className="rounded-xl border border-zinc-200 p-4 dark:border-zinc-800" aria-label="Current session" data-testid="live-session">
      <div className="flex flex-wrap items-center justify-between gap-4">
        <div>
          <div className="text-xs uppercase tracking-wide text-zinc-500">{state.open ? (state.paused ? 'Paused' : 'Current item') : 'No session open'}</div>
          <div className="font-mono text-4xl font-semibold" data-testid="current-timer" aria-live="off">
            {state.open ? mmss(elapsed(state, now)) : '--:--'}
          </div>
          <div className="text-sm text-zinc-500" data-testid="session-items">
            {state.open ? `${state.items} item${state.items === 1 ? '' : 's'} done · average ${state.avgActiveMmss ?? '--:--'} / target ${state.targetMmss ?? '05:30'}` : `Press Next (or ${keys.next.toUpperCase()}) to start a session.`}
          </div>
        </div>
        <div className="flex flex-wrap gap-2">
          <button type="button" className={buttonClass} onClick={() => send('NEXT')}>Next <kbd className="ml-1 text-xs opacity-75">{keys.next.toUpperCase()}</kbd></button>
          <button type="button" className={buttonClass} disabled={!state.open} onClick={() => send('PAUSE')}>{state.paused ? 'Resume' : 'Pause'} <kbd className="ml-1 text-xs opacity-75">{keys.pause.toUpperCase()}</kbd></button>
          <button type="button" className={buttonClass} disabled={!state.open || state.items === 0} onClick={() => send('UNDO')}>Undo <kbd className="ml-1 text-xs opacity-75">{keys.undo.toUpperCase()}</kbd></button>
          <button type="button" className={buttonClass} disabled={!state.open} onClick={() => send('EXIT')}>Exit <kbd className="ml-1 text-xs opacity-75">{keys.exit.toUpperCase()}</kbd></button>
        </div>
      </div>
      {error ? <p className="mt-2 text-sm text-red-600 dark:text-red-400" role="alert">{error}</p> : null}
    </section>
  );
}
