import { route, readJson } from '@/lib/http/route';
import { json } from '@/lib/http/respond';
import { requireRequestActor, requestMeta } from '@/lib/auth/session';
import { assertCan } from '@/lib/auth/permissions';
import { deleteServer, getServerOrThrow, publicServer, updateServer, updateServerSchema } from '@/lib/servers';

export const dynamic = 'force-dynamic';
type Ctx = { params: Promise<{ id: string }> };

// GET /api/servers/{id}
export const GET = route<Ctx>(async (req, { params }) => {
  const actor = await requireRequestActor(req);
  return json(publicServer(await getServerOrThrow(actor, (await params).id)));
});

// PATCH /api/servers/{id} { name?, url?, token?, pollIntervalS?, enabled?, mediaUserSignIn? } (URL/token changes are re-tested)
export const PATCH = route<Ctx>(async (req, { params }) => {
  const actor = await requireRequestActor(req);
  assertCan(actor, 'servers:manage');
  const input = updateServerSchema.parse(await readJson(req));
  return json(await updateServer(actor, (await params).id, input, requestMeta(req)));
});

// DELETE /api/servers/{id}
export const DELETE = route<Ctx>(async (req, { params }) => {
  const actor = await requireRequestActor(req);
  await deleteServer(actor, (await params).id, requestMeta(req));
  return new Response(null, { status: 204 });
});
