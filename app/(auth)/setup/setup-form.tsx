'use client';

import { useActionState } from 'react';
import { Field, FormError, buttonClass } from '@/components/ui/form';
import { setupAction, type SetupState } from './actions';

export function SetupForm() {
  const [state, action, pending] = useActionState<SetupState, FormData>(setupAction, {});
  const err = (k: string) => state.fieldErrors?.[k]?.[0];
  return (
    <form action={action} className="space-y-4" noValidate>
      <h1 className="text-lg font-semibold">Create the first admin</h1>
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        No account exists yet. This admin can add servers and invite everyone else.
      </p>
      <Field label="Name" name="name" autoComplete="name" required error={err('name')} defaultValue={state.values?.name} autoFocus />
      <Field
        label="Email"
        name="email"
        type="email"
        autoComplete="username"
        required
        error={err('email')}
        defaultValue={state.values?.email}
      />
      <Field
        label="Password"
        name="password"
        type="password"
        autoComplete="new-password"
        maxLength={256}
        required
        error={err('password')}
        hint="At least 12 characters with upper- and lowercase letters, a digit and a symbol."
      />
      <Field label="Confirm password" name="confirm" type="password" autoComplete="new-password" maxLength={256} required error={err('confirm')} />
      <FormError message={state.message} />
      <button type="submit" className={`${buttonClass} w-full`} disabled={pending}>
        {pending ? 'Creating…' : 'Create admin'}
      </button>
    </form>
  );
}
