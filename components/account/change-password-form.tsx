'use client';

import { signIn } from 'next-auth/react';
import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { Field, FormError, FormStatus, buttonClass } from '@/components/ui/form';
import { callApi } from './api';

/** Changing the password ends every session, so the form signs the user straight back in. */
export function ChangePasswordForm({ email, redirectTo }: { email: string; redirectTo?: string }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const [pending, start] = useTransition();

  function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const el = e.currentTarget;
    const f = new FormData(el);
    const currentPassword = String(f.get('currentPassword') ?? '');
    const newPassword = String(f.get('newPassword') ?? '');
    if (newPassword !== String(f.get('confirmPassword') ?? '')) {
      setError('The two new passwords do not match.');
      return;
    }
    setError(null);
    start(async () => {
      try {
        await callApi('/api/account/password', { method: 'POST', body: { currentPassword, newPassword } });
      } catch (err) {
        setError((err as Error).message);
        return;
      }
      const res = await signIn('credentials', { email, password: newPassword, redirect: false });
      el.reset();
      setDone(true);
      if (res?.error) router.replace('/login');
      else if (redirectTo) router.replace(redirectTo);
      router.refresh();
    });
  }

  return (
    <form onSubmit={onSubmit} className="space-y-4" noValidate>
      <Field label="Current password" name="currentPassword" type="password" autoComplete="current-password" required />
      <Field
        label="New password"
        name="newPassword"
        type="password"
        autoComplete="new-password"
        required
        hint="At least 12 characters with upper- and lowercase letters, a digit and a symbol; not a common or recently used password."
      />
      <Field label="Confirm new password" name="confirmPassword" type="password" autoComplete="new-password" required />
      <FormError message={error} />
      <FormStatus message={done ? 'Password changed.' : null} />
      <button type="submit" className={buttonClass} disabled={pending}>
        {pending ? 'Saving…' : 'Change password'}
      </button>
    </form>
  );
}
