import { route, readJson } from '@/lib/http/route';
import { json } from '@/lib/http/respond';
import { requireRequestActor, requestMeta } from '@/lib/auth/session';
import { getAccount, updateAccountSchema, updateOwnAccount } from '@/lib/users';

export const dynamic = 'force-dynamic';

// GET /api/account: the caller's own account
export const GET = route(async (req) => {
  const actor = await requireRequestActor(req, { allowPasswordChangeRequired: true });
  return json(await getAccount(actor));
});

// PATCH /api/account { name?, timezone? }
export const PATCH = route(async (req) => {
  const actor = await requireRequestActor(req);
  const input = updateAccountSchema.parse(await readJson(req));
  return json(await updateOwnAccount(actor, input, requestMeta(req)));
});
