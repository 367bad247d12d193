'use client';

import { signIn } from 'next-auth/react';
import { useRouter } from 'next/navigation';
import { Field, FormOutcomeLine, buttonClass } from '@/components/ui/form';
import { callApi, useApiAction } from '@/components/ui/api';

/**
 * Changing the password ends every session, so the form signs the user straight back in. It can
 * also revoke every API token (they would otherwise keep working with the old password's access).
 */
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
    const revokeTokens = f.get('revokeTokens') === 'on';
    run(async () => {
      await callApi('/api/account/password', { method: 'POST', body: { currentPassword, newPassword, revokeTokens } });
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
      <Field label="Current password" name="currentPassword" type="password" autoComplete="current-password" maxLength={1024} required />
      <Field
        label="New password"
        name="newPassword"
        type="password"
        autoComplete="new-password"
        maxLength={256}
        required
        hint="At least 12 characters with upper- and lowercase letters, a digit and a symbol; not a common or recently used password."
      />
      <Field label="Confirm new password" name="confirmPassword" type="password" autoComplete="new-password" maxLength={256} required />
      <label className="flex items-start gap-2 text-sm">
        <input type="checkbox" name="revokeTokens" className="mt-1" />
        <span>
          Also revoke all my API tokens
          <span className="block text-xs text-zinc-500">Do this if you think someone else had access: tokens keep working after a password change otherwise.</span>
        </span>
      </label>
      <FormOutcomeLine outcome={outcome} />
      <button type="submit" className={buttonClass} disabled={pending}>
        {pending ? 'Saving…' : 'Change password'}
      </button>
    </form>
  );
}
