import { route } from '@/lib/http/route';
import { json } from '@/lib/http/respond';
import { requireRequestActor } from '@/lib/auth/session';
import { setFavorite } from '@/lib/videos';

export const dynamic = 'force-dynamic';
type Ctx = { params: Promise<{ id: string }> };

// PUT /api/videos/{id}/favorite: add (idempotent)
export const PUT = route<Ctx>(async (req, ctx) => {
  const actor = await requireRequestActor(req);
  return json(await setFavorite(actor, (await ctx.params).id, true));
});

// DELETE /api/videos/{id}/favorite: remove (idempotent)
export const DELETE = route<Ctx>(async (req, ctx) => {
  const actor = await requireRequestActor(req);
  return json(await setFavorite(actor, (await ctx.params).id, false));
});
