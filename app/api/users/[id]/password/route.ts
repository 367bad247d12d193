import { route, readJson } from '@/lib/http/route';
import { json } from '@/lib/http/respond';
import { requireRecentAuth, requireRequestActor, requestMeta } from '@/lib/auth/session';
import { assertCan } from '@/lib/auth/permissions';
import { resetPasswordSchema, resetUserPassword } from '@/lib/users';

export const dynamic = 'force-dynamic';
type Ctx = { params: Promise<{ id: string }> };

// POST /api/users/{id}/password { password, revokeTokens? }: admin sets a temporary password; the user
// must change it at next sign-in. Ends the user's sessions; needs the admin's recent sign-in.
export const POST = route<Ctx>(async (req, { params }) => {
  const actor = await requireRequestActor(req);
  assertCan(actor, 'users:manage');
  requireRecentAuth(actor);
  const { password, revokeTokens } = resetPasswordSchema.parse(await readJson(req));
  await resetUserPassword(actor, (await params).id, password, requestMeta(req), { revokeTokens });
  return json({ ok: true, mustChangePassword: true });
});
