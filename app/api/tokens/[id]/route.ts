import { route } from '@/lib/http/route';
import { requireRequestActor, requestMeta } from '@/lib/auth/session';
import { revokeApiToken } from '@/lib/auth/tokens';

export const dynamic = 'force-dynamic';
type Ctx = { params: Promise<{ id: string }> };

// DELETE /api/tokens/{id}: revoke one of the caller's tokens
export const DELETE = route<Ctx>(async (req, { params }) => {
  const actor = await requireRequestActor(req);
  await revokeApiToken(actor, (await params).id, requestMeta(req));
  return new Response(null, { status: 204 });
});
