'use server';

import { redirect } from 'next/navigation';
import { z } from 'zod';
import { createFirstAdmin, setupSchema } from '@/lib/auth/setup';
import { pageRequestMeta } from '@/lib/auth/current-user';
import { AppError } from '@/lib/http/errors';

export type SetupState = {
  fieldErrors?: Record<string, string[] | undefined>;
  message?: string;
  /** What the user typed (never the password), so a rejected form keeps it. */
  values?: { name?: string; email?: string };
};

// Creates the first admin (only while no user exists), then sends the admin to sign in.
export async function setupAction(_prev: SetupState, form: FormData): Promise<SetupState> {
  const values = { name: String(form.get('name') ?? ''), email: String(form.get('email') ?? '') };
  const parsed = setupSchema.safeParse(Object.fromEntries(form));
  if (!parsed.success) return { fieldErrors: z.flattenError(parsed.error).fieldErrors, values };
  if (form.get('password') !== form.get('confirm')) return { fieldErrors: { confirm: ['The passwords do not match.'] }, values };
  try {
    await createFirstAdmin(parsed.data, await pageRequestMeta());
  } catch (err) {
    if (err instanceof AppError) return { message: err.message, values };
    throw err;
  }
  redirect('/login?setup=done');
}
