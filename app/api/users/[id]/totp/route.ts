import { route } from '@/lib/http/route';
import { requireRecentAuth, requireRequestActor, requestMeta } from '@/lib/auth/session';
import { assertCan } from '@/lib/auth/permissions';
import { resetUserTotp } from '@/lib/users';

export const dynamic = 'force-dynamic';
type Ctx = { params: Promise<{ id: string }> };

// DELETE /api/users/{id}/totp: turns off a user's two-factor authentication (lost device); ends their sessions
export const DELETE = route<Ctx>(async (req, { params }) => {
  const actor = await requireRequestActor(req);
  assertCan(actor, 'users:manage');
  requireRecentAuth(actor);
  await resetUserTotp(actor, (await params).id, requestMeta(req));
  return new Response(null, { status: 204 });
});
