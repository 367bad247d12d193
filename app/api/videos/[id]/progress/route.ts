import { route, readJson } from '@/lib/http/route';
import { json } from '@/lib/http/respond';
import { requireRequestActor } from '@/lib/auth/session';
import { progressSchema, saveProgress } from '@/lib/videos';

export const dynamic = 'force-dynamic';
type Ctx = { params: Promise<{ id: string }> };

// PUT /api/videos/{id}/progress: { positionS, viewId? } — the caller's resume position, also kept as a
// watch event of the view `viewId` (one per playback) for the video's stats
export const PUT = route<Ctx>(async (req, ctx) => {
  const actor = await requireRequestActor(req);
  const { positionS, viewId } = progressSchema.parse(await readJson(req));
  return json(await saveProgress(actor, (await ctx.params).id, positionS, viewId));
});

// POST is accepted too, for navigator.sendBeacon on page leave.
export const POST = PUT;
