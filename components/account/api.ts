// Small fetch wrapper for the account/admin screens: JSON in, JSON out, API errors as messages; and
// the hook that runs such calls from a form and keeps their outcome for <FormOutcomeLine>.
import { useState, useTransition } from 'react';
import type { FormOutcome } from '@/components/ui/form';

/** A server value as it arrives through JSON (or a JSON round trip in a page): dates are ISO strings. */
export type Wire<T> = T extends Date ? string : T extends readonly (infer U)[] ? Wire<U>[] : T extends object ? { [K in keyof T]: Wire<T[K]> } : T;

/**
 * Asks the user to confirm their password (POST /api/account/reauth) and resolves true once they
 * did. <ReauthDialog> registers the real one; without it, a plain prompt.
 */
type ReauthHandler = () => Promise<boolean>;
let reauthHandler: ReauthHandler | null = null;

export function setReauthHandler(handler: ReauthHandler | null): void {
  reauthHandler = handler;
}

async function promptReauth(): Promise<boolean> {
  if (reauthHandler) return reauthHandler();
  const password = typeof window === 'undefined' ? null : window.prompt('Confirm your password to continue');
  if (!password) return false;
  const res = await fetch('/api/account/reauth', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ password }) });
  return res.ok;
}

async function send(path: string, init: { method?: string; body?: unknown }): Promise<Response> {
  return fetch(path, {
    method: init.method ?? 'GET',
    headers: init.body === undefined ? undefined : { 'content-type': 'application/json' },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
}

export async function callApi<T = unknown>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  let res = await send(path, init);
  let data = (await res.json().catch(() => ({}))) as { error?: { code?: string; message?: string } };
  // Sensitive actions need a recent sign-in: ask for the password, then try once more.
  if (res.status === 403 && data.error?.code === 'reauth_required' && (await promptReauth())) {
    res = await send(path, init);
    data = (await res.json().catch(() => ({}))) as typeof data;
  }
  if (res.status === 204) return undefined as T;
  if (!res.ok) throw new Error(data.error?.message ?? `Request failed (${res.status}).`);
  return data as T;
}

/**
 * `run(fn)` calls `fn` in a transition: a thrown error becomes the outcome `{ ok: false }`, a returned
 * text the confirmation `{ ok: true }`; the previous outcome is cleared first.
 */
export function useApiAction() {
  const [outcome, setOutcome] = useState<FormOutcome>(null);
  const [pending, start] = useTransition();
  const run = (fn: () => Promise<string | void>) =>
    start(async () => {
      setOutcome(null);
      try {
        const text = await fn();
        if (text) setOutcome({ ok: true, text });
      } catch (err) {
        setOutcome({ ok: false, text: (err as Error).message });
      }
    });
  return { outcome, setOutcome, pending, run };
}
