import { route, readJson } from '@/lib/http/route';
import { json } from '@/lib/http/respond';
import { requireRequestActor, requestMeta } from '@/lib/auth/session';
import { changeOwnPassword, changePasswordSchema } from '@/lib/users';

export const dynamic = 'force-dynamic';

// POST /api/account/password { currentPassword, newPassword }: also completes a forced change.
// Signs out every session (sign in again with the new password).
export const POST = route(async (req) => {
  const actor = await requireRequestActor(req, { allowPasswordChangeRequired: true });
  const input = changePasswordSchema.parse(await readJson(req));
  await changeOwnPassword(actor, input.currentPassword, input.newPassword, requestMeta(req));
  return json({ ok: true });
});
