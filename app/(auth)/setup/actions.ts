'use server';

import { redirect } from 'next/navigation';
import { z } from 'zod';
import { createFirstAdmin, setupSchema } from '@/lib/auth/setup';
import { pageRequestMeta } from '@/lib/auth/current-user';
import { AppError } from '@/lib/http/errors';

export type SetupState = { fieldErrors?: Record<string, string[] | undefined>; message?: string };

// Creates the first admin (only while no user exists), then sends the admin to sign in.
export async function setupAction(_prev: SetupState, form: FormData): Promise<SetupState> {
  const parsed = setupSchema.safeParse(Object.fromEntries(form));
  if (!parsed.success) return { fieldErrors: z.flattenError(parsed.error).fieldErrors };
  if (form.get('password') !== form.get('confirm')) return { fieldErrors: { confirm: ['The passwords do not match.'] } };
  try {
    await createFirstAdmin(parsed.data, await pageRequestMeta());
  } catch (err) {
    if (err instanceof AppError) return { message: err.message };
    throw err;
  }
  redirect('/login?setup=done');
}
