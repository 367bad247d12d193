'use client';

import { signIn } from 'next-auth/react';
import { useRouter } from 'next/navigation';
import { Field, FormOutcomeLine, buttonClass } from '@/components/ui/form';
import { callApi, useApiAction } from '@/components/ui/api';

/** Changing the password ends every session, so the form signs the user straight back in. */
export function ChangePasswordForm({ email, redirectTo }: { email: string; redirectTo?: string }) {
  const router = useRouter();
  const { outcome, setOutcome, pending, run } = useApiAction();

  function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const el = e.currentTarget;
    const f = new FormData(el);
    const currentPassword = String(f.get('currentPassword') ?? '');
    const newPassword = String(f.get('newPassword') ?? '');
    if (newPassword !== String(f.get('confirmPassword') ?? '')) {
      setOutcome({ ok: false, text: 'The two new passwords do not match.' });
      return;
    }
    run(async () => {
      await callApi('/api/account/password', { method: 'POST', body: { currentPassword, newPassword } });
      const res = await signIn('credentials', { email, password: newPassword, redirect: false });
      el.reset();
      if (res?.error) router.replace('/login');
      else if (redirectTo) router.replace(redirectTo);
      router.refresh();
      return 'Password changed.';
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
      <FormOutcomeLine outcome={outcome} />
      <button type="submit" className={buttonClass} disabled={pending}>
        {pending ? 'Saving…' : 'Change password'}
      </button>
    </form>
  );
}
