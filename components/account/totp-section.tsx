'use client';

import { useState } from 'react';
import { Field, FormOutcomeLine, buttonClass } from '@/components/ui/form';
import { CopyButton } from '@/components/ui/copy-button';
import { callApi, useApiAction } from '@/components/ui/api';

type Enrollment = { secret: string; uri: string; qrDataUrl: string };

export function TotpSection({ enabled: initial, recoveryCodesLeft }: { enabled: boolean; recoveryCodesLeft: number }) {
  const [enabled, setEnabled] = useState(initial);
  const [enrollment, setEnrollment] = useState<Enrollment | null>(null);
  const [codes, setCodes] = useState<string[] | null>(null);
  const { outcome, pending, run } = useApiAction();

  return (
    <div className="space-y-4">
      <p className="text-sm">
        Two-factor authentication is <strong data-testid="totp-status">{enabled ? 'on' : 'off'}</strong>.
        {enabled && !codes ? ` ${recoveryCodesLeft} recovery codes left.` : null}
      </p>
      {!enabled && !enrollment ? (
        <button type="button" className={buttonClass} disabled={pending} onClick={() => run(async () => setEnrollment(await callApi<Enrollment>('/api/account/totp', { method: 'POST' })))}>
          Set up two-factor authentication
        </button>
      ) : null}
      {!enabled && enrollment ? (
        <form
          className="space-y-3"
          onSubmit={(e) => {
            e.preventDefault();
            const code = String(new FormData(e.currentTarget).get('code') ?? '');
            run(async () => {
              const res = await callApi<{ recoveryCodes: string[] }>('/api/account/totp', { method: 'PUT', body: { code } });
              setCodes(res.recoveryCodes);
              setEnabled(true);
              setEnrollment(null);
            });
          }}
        >
          <p className="text-sm">Scan this QR code with your authenticator app, or enter the key by hand.</p>
          {/* eslint-disable-next-line @next/next/no-img-element */}
          <img src={enrollment.qrDataUrl} alt="QR code for your authenticator app" width={180} height={180} className="rounded bg-white p-2" />
          <div className="flex items-center gap-2 text-sm">
            <span>Key:</span>
            <code data-testid="totp-secret" className="rounded bg-zinc-100 px-2 py-1 font-mono dark:bg-zinc-800">
              {enrollment.secret}
            </code>
            <CopyButton value={enrollment.secret} />
          </div>
          <Field label="Code from the app" name="code" inputMode="numeric" autoComplete="one-time-code" required />
          <button type="submit" className={buttonClass} disabled={pending}>
            Turn on
          </button>
        </form>
      ) : null}
      {codes ? (
        <div className="rounded-md border border-amber-300 bg-amber-50 p-4 text-sm dark:border-amber-700 dark:bg-amber-950">
          <p className="font-medium">Recovery codes — shown only now. Each works once if you lose your device.</p>
          <ul className="mt-2 grid grid-cols-2 gap-1 font-mono" data-testid="recovery-codes">
            {codes.map((c) => (
              <li key={c}>{c}</li>
            ))}
          </ul>
          <div className="mt-2">
            <CopyButton value={codes.join('\n')} label="Copy all" />
          </div>
        </div>
      ) : null}
      {enabled ? (
        <details className="text-sm">
          <summary className="cursor-pointer">Turn off two-factor authentication</summary>
          <form
            className="mt-3 space-y-3"
            onSubmit={(e) => {
              e.preventDefault();
              const f = new FormData(e.currentTarget);
              run(async () => {
                await callApi('/api/account/totp', { method: 'DELETE', body: { password: f.get('password'), code: f.get('disableCode') } });
                setEnabled(false);
                setCodes(null);
              });
            }}
          >
            <Field label="Password" name="password" type="password" autoComplete="current-password" required />
            <Field label="Authentication or recovery code" name="disableCode" required />
            <button type="submit" className={buttonClass} disabled={pending}>
              Turn off
            </button>
          </form>
        </details>
      ) : null}
      <FormOutcomeLine outcome={outcome} />
    </div>
  );
}
