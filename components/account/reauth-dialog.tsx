'use client';

// The password prompt behind `callApi` when an action answers 403 reauth_required: the user
// confirms their password (and a code when two-factor is on), the session's sign-in time is
// refreshed, and the action is retried.
import { useEffect, useRef, useState } from 'react';
import { Field, FormError, buttonClass } from '@/components/ui/form';
import { setReauthHandler } from '@/components/ui/api';

export function ReauthDialog() {
  const dialog = useRef<HTMLDialogElement>(null);
  const resolver = useRef<((ok: boolean) => void) | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [needsCode, setNeedsCode] = useState(false);
  const [pending, setPending] = useState(false);

  useEffect(() => {
    setReauthHandler(
      () =>
        new Promise<boolean>((resolve) => {
          resolver.current = resolve;
          setError(null);
          dialog.current?.showModal();
        }),
    );
    return () => setReauthHandler(null);
  }, []);

  const finish = (ok: boolean) => {
    dialog.current?.close();
    resolver.current?.(ok);
    resolver.current = null;
  };

  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const el = e.currentTarget;
    const f = new FormData(el);
    setPending(true);
    try {
      const res = await fetch('/api/account/reauth', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ password: f.get('password'), ...(needsCode ? { totp: f.get('totp') } : {}) }),
      });
      if (res.ok) {
        el.reset();
        setNeedsCode(false);
        finish(true);
        return;
      }
      const data = (await res.json().catch(() => ({}))) as { error?: { code?: string; message?: string } };
      if (data.error?.code === 'totp_required') setNeedsCode(true);
      setError(data.error?.message ?? `Request failed (${res.status}).`);
    } finally {
      setPending(false);
    }
  }

  return (
    <dialog
      ref={dialog}
      onCancel={() => finish(false)}
      aria-labelledby="reauth-title"
      className="w-full max-w-sm rounded-xl border border-zinc-200 bg-white p-6 text-zinc-900 backdrop:bg-black/50 dark:border-zinc-800 dark:bg-zinc-950 dark:text-zinc-100"
    >
      <form onSubmit={onSubmit} className="space-y-4">
        <h2 id="reauth-title" className="text-lg font-semibold">
          Confirm it is you
        </h2>
        <p className="text-sm text-zinc-500">This action needs a sign-in within the last 10 minutes. Enter your password to continue.</p>
        <Field label="Password" name="password" type="password" autoComplete="current-password" maxLength={1024} required autoFocus />
        {needsCode ? <Field label="Authentication code" name="totp" inputMode="numeric" autoComplete="one-time-code" maxLength={32} required /> : null}
        <FormError message={error} />
        <div className="flex justify-end gap-2">
          <button type="button" className="rounded-md px-4 py-2 text-sm hover:underline" onClick={() => finish(false)}>
            Cancel
          </button>
          <button type="submit" className={buttonClass} disabled={pending}>
            {pending ? 'Checking…' : 'Confirm'}
          </button>
        </div>
      </form>
    </dialog>
  );
}
