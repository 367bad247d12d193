'use client';

import { signIn } from 'next-auth/react';
import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { Field, FormError, buttonClass } from '@/components/ui/form';

const MESSAGES: Record<string, string> = {
  totp_required: 'Enter the 6-digit code from your authenticator app (or a recovery code).',
  invalid_totp: 'That code is not valid. Try the current code or a recovery code.',
  rate_limited: 'Too many sign-in attempts. Wait a minute and try again.',
};

export function LoginForm({ callbackUrl }: { callbackUrl: string }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  // Second step: the password was right and the account has two-factor authentication on.
  const [needsCode, setNeedsCode] = useState(false);
  const [pending, startTransition] = useTransition();

  function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setError(null);
    startTransition(async () => {
      const res = await signIn('credentials', {
        email: String(form.get('email') ?? ''),
        password: String(form.get('password') ?? ''),
        ...(needsCode ? { totp: String(form.get('totp') ?? '') } : {}),
        redirect: false,
      });
      if (!res || res.error) {
        const code = res?.error ?? '';
        if (code === 'totp_required' || code === 'invalid_totp') setNeedsCode(true);
        setError(MESSAGES[code] ?? 'Invalid email or password.');
        return;
      }
      router.replace(callbackUrl);
      router.refresh();
    });
  }

  return (
    <form onSubmit={onSubmit} className="space-y-4" noValidate>
      <h1 className="text-lg font-semibold">Sign in</h1>
      <div className={needsCode ? 'hidden' : 'space-y-4'}>
        <Field label="Email" name="email" type="email" autoComplete="username" required autoFocus />
        <Field label="Password" name="password" type="password" autoComplete="current-password" required />
      </div>
      {needsCode ? (
        <Field
          label="Authentication code"
          name="totp"
          inputMode="numeric"
          autoComplete="one-time-code"
          required
          autoFocus
          hint="From your authenticator app; a recovery code works too (once)."
        />
      ) : null}
      <FormError message={error} />
      <button type="submit" className={`${buttonClass} w-full`} disabled={pending}>
        {pending ? 'Signing in…' : needsCode ? 'Verify' : 'Sign in'}
      </button>
    </form>
  );
}
