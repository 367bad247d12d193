import { route } from '@/lib/http/route';
import { json } from '@/lib/http/respond';
import { requireRequestActor, requestMeta } from '@/lib/auth/session';
import { assertCan } from '@/lib/auth/permissions';
import { unlockUser } from '@/lib/users';

export const dynamic = 'force-dynamic';
type Ctx = { params: Promise<{ id: string }> };

// POST /api/users/{id}/unlock: lifts the account's sign-in locks (account-wide and per client)
export const POST = route<Ctx>(async (req, { params }) => {
  const actor = await requireRequestActor(req);
  assertCan(actor, 'users:manage');
  return json(await unlockUser(actor, (await params).id, requestMeta(req)));
});
