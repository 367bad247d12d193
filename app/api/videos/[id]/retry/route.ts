import { route } from '@/lib/http/route';
import { json } from '@/lib/http/respond';
import { requireRequestActor, requestMeta } from '@/lib/auth/session';
import { retryVideo } from '@/lib/videos';

export const dynamic = 'force-dynamic';
type Ctx = { params: Promise<{ id: string }> };

// POST /api/videos/{id}/retry: queue a failed transcode again (owner or admin)
export const POST = route<Ctx>(async (req, ctx) => {
  const actor = await requireRequestActor(req);
  const id = (await ctx.params).id;
  await retryVideo(actor, id, requestMeta(req));
  return json({ id, status: 'pending' }, { status: 202 });
});
