import { route, readJson } from '@/lib/http/route';
import { json } from '@/lib/http/respond';
import { requireRecentAuth, requireRequestActor, requestMeta } from '@/lib/auth/session';
import { assertCan } from '@/lib/auth/permissions';
import { deleteUser, getUser, updateUser, updateUserSchema } from '@/lib/users';

export const dynamic = 'force-dynamic';
type Ctx = { params: Promise<{ id: string }> };

// GET /api/users/{id}
export const GET = route<Ctx>(async (req, { params }) => {
  const actor = await requireRequestActor(req);
  assertCan(actor, 'users:manage');
  return json(await getUser(actor, (await params).id));
});

// PATCH /api/users/{id}: role, active, email, timezone, scopes (the last active admin is protected).
// Disabling, a role change or a new email end the user's sessions.
export const PATCH = route<Ctx>(async (req, { params }) => {
  const actor = await requireRequestActor(req);
  assertCan(actor, 'users:manage');
  const input = updateUserSchema.parse(await readJson(req));
  // A new sign-in email is a credential change: the admin's sign-in must be recent.
  if (input.email !== undefined) requireRecentAuth(actor);
  return json(await updateUser(actor, (await params).id, input, requestMeta(req)));
});

// DELETE /api/users/{id}
export const DELETE = route<Ctx>(async (req, { params }) => {
  const actor = await requireRequestActor(req);
  assertCan(actor, 'users:manage');
  await deleteUser(actor, (await params).id, requestMeta(req));
  return new Response(null, { status: 204 });
});
