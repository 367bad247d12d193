import { route, readJson } from '@/lib/http/route';
import { json } from '@/lib/http/respond';
import { requireRequestActor } from '@/lib/auth/session';
import { progressSchema, saveProgress } from '@/lib/videos';

export const dynamic = 'force-dynamic';
type Ctx = { params: Promise<{ id: string }> };

// PUT /api/videos/{id}/progress: { positionS } — the caller's resume position
export const PUT = route<Ctx>(async (req, ctx) => {
  const actor = await requireRequestActor(req);
  const { positionS } = progressSchema.parse(await readJson(req));
  return json(await saveProgress(actor, (await ctx.params).id, positionS));
});

// POST is accepted too, for navigator.sendBeacon on page leave.
export const POST = PUT;
