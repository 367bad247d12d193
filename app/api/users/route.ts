import { route, readJson } from '@/lib/http/route';
import { json } from '@/lib/http/respond';
import { requireRequestActor, requestMeta } from '@/lib/auth/session';
import { assertCan } from '@/lib/auth/permissions';
import { createUser, createUserSchema, listUsers } from '@/lib/users';

export const dynamic = 'force-dynamic';

// GET /api/users: every account (admin only)
export const GET = route(async (req) => {
  const actor = await requireRequestActor(req);
  assertCan(actor, 'users:manage');
  return json({ users: await listUsers(actor) });
});

// POST /api/users: create an account with a role and a temporary password (must be changed at first sign-in)
export const POST = route(async (req) => {
  const actor = await requireRequestActor(req);
  assertCan(actor, 'users:manage');
  const input = createUserSchema.parse(await readJson(req));
  return json(await createUser(actor, input, requestMeta(req)), { status: 201 });
});
