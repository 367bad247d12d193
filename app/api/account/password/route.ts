import { route, readJson } from '@/lib/http/route';
import { json } from '@/lib/http/respond';
import { requireRecentAuth, requireRequestActor, requestMeta } from '@/lib/auth/session';
import { changeOwnPassword, changePasswordSchema } from '@/lib/users';

export const dynamic = 'force-dynamic';

// POST /api/account/password { currentPassword, newPassword, revokeTokens? }: also completes a forced
// change. Needs a sign-in within 10 minutes. Ends every session (sign in again with the new
// password); with revokeTokens, every API token too.
export const POST = route(async (req) => {
  const actor = await requireRequestActor(req, { allowPasswordChangeRequired: true });
  requireRecentAuth(actor);
  const input = changePasswordSchema.parse(await readJson(req));
  const { tokensRevoked } = await changeOwnPassword(actor, input.currentPassword, input.newPassword, requestMeta(req), { revokeTokens: input.revokeTokens });
  return json({ ok: true, tokensRevoked });
});
