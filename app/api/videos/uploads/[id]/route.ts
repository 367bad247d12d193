import { route } from '@/lib/http/route';
import { json } from '@/lib/http/respond';
import { requireRequestActor, requestMeta } from '@/lib/auth/session';
import { cancelUpload, getUploadState, putChunk } from '@/lib/videos/resumable';
import { tooLarge } from '@/lib/videos/storage';
import { env } from '@/lib/env';
import { assertDeclaredLength } from '@/lib/http/body-limit';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';
type Ctx = { params: Promise<{ id: string }> };

// GET /api/videos/uploads/{id}: { offset, sizeBytes, status } — where to resume
export const GET = route<Ctx>(async (req, ctx) => {
  const actor = await requireRequestActor(req);
  const s = await getUploadState(actor, (await ctx.params).id);
  return json(s, { headers: { 'upload-offset': String(s.offset) } });
});

// PUT /api/videos/uploads/{id}: one chunk with `Content-Range: bytes start-end/total`
export const PUT = route<Ctx>(async (req, ctx) => {
  const actor = await requireRequestActor(req);
  // Refused before a byte of the body is read (this route is outside proxy.ts, so nothing buffers it).
  assertDeclaredLength(req, env.VIDEO_MAX_UPLOAD_BYTES, () => tooLarge(env.VIDEO_MAX_UPLOAD_BYTES));
  const r = await putChunk(actor, (await ctx.params).id, req.headers.get('content-range'), req.body, requestMeta(req));
  if (!r.video) return json(r.state, { headers: { 'upload-offset': String(r.state.offset) } });
  const body = { ...r.state, video: r.video };
  return json(body, { status: r.video.duplicate ? 200 : 201 });
});

// DELETE /api/videos/uploads/{id}: cancel and remove the partial file
export const DELETE = route<Ctx>(async (req, ctx) => {
  const actor = await requireRequestActor(req);
  await cancelUpload(actor, (await ctx.params).id, requestMeta(req));
  return new Response(null, { status: 204 });
});
