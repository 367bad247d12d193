import { route, readJson } from '@/lib/http/route';
import { json } from '@/lib/http/respond';
import { requireRequestActor, requestMeta } from '@/lib/auth/session';
import { deleteVideo, getVideo, updateVideo, updateVideoSchema } from '@/lib/videos';

export const dynamic = 'force-dynamic';
type Ctx = { params: Promise<{ id: string }> };

// GET /api/videos/{id}: metadata, status/progress, renditions and a sealed playbackUrl when ready
export const GET = route<Ctx>(async (req, ctx) => {
  const actor = await requireRequestActor(req);
  return json(await getVideo(actor, (await ctx.params).id));
});

// PATCH /api/videos/{id}: edit title/description/category/tags/people (owner or admin)
export const PATCH = route<Ctx>(async (req, ctx) => {
  const actor = await requireRequestActor(req);
  const input = updateVideoSchema.parse(await readJson(req));
  return json(await updateVideo(actor, (await ctx.params).id, input, requestMeta(req)));
});

// DELETE /api/videos/{id}: remove the video and its files (owner or admin)
export const DELETE = route<Ctx>(async (req, ctx) => {
  const actor = await requireRequestActor(req);
  await deleteVideo(actor, (await ctx.params).id, requestMeta(req));
  return new Response(null, { status: 204 });
});
