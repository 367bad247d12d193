import { route } from '@/lib/http/route';
import { json } from '@/lib/http/respond';
import { requireRequestActor } from '@/lib/auth/session';
import { getVideoStats } from '@/lib/videos';

export const dynamic = 'force-dynamic';
type Ctx = { params: Promise<{ id: string }> };

// GET /api/videos/{id}/stats: views, unique viewers, watch time, average percent watched, completion
// histogram (10 % buckets) and plays per day, from the player's progress reports (owner or admin)
export const GET = route<Ctx>(async (req, ctx) => {
  const actor = await requireRequestActor(req);
  return json(await getVideoStats(actor, (await ctx.params).id));
});
