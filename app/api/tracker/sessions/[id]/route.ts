import { route, readJson } from '@/lib/http/route';
import { json } from '@/lib/http/respond';
import { requireRequestActor, requestMeta } from '@/lib/auth/session';
import { deleteSession, getSessionSummary, updateSessionSchema, updateSessionTarget } from '@/lib/tracker';

export const dynamic = 'force-dynamic';
type Ctx = { params: Promise<{ id: string }> };

// GET /api/tracker/sessions/{id}: items with raw/active seconds, totals, average and pace vs target
export const GET = route<Ctx>(async (req, { params }) => {
  const actor = await requireRequestActor(req);
  return json(await getSessionSummary(actor, (await params).id));
});

// PATCH /api/tracker/sessions/{id} { targetS }: change the session's target time per item
export const PATCH = route<Ctx>(async (req, { params }) => {
  const actor = await requireRequestActor(req);
  const input = updateSessionSchema.parse(await readJson(req));
  return json(await updateSessionTarget(actor, (await params).id, input.targetS, requestMeta(req)));
});

// DELETE /api/tracker/sessions/{id}: delete a session and its items (audited)
export const DELETE = route<Ctx>(async (req, { params }) => {
  const actor = await requireRequestActor(req);
  await deleteSession(actor, (await params).id, requestMeta(req));
  return new Response(null, { status: 204 });
});
