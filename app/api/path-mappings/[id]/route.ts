import { route, readJson } from '@/lib/http/route';
import { json } from '@/lib/http/respond';
import { requireRequestActor, requestMeta } from '@/lib/auth/session';
import { assertCan } from '@/lib/auth/permissions';
import { deletePathMapping, updatePathMapping, updatePathMappingSchema } from '@/lib/scans';

export const dynamic = 'force-dynamic';
type Ctx = { params: Promise<{ id: string }> };

// PATCH /api/path-mappings/{id} (admin)
export const PATCH = route<Ctx>(async (req, { params }) => {
  const actor = await requireRequestActor(req);
  assertCan(actor, 'settings:manage');
  const input = updatePathMappingSchema.parse(await readJson(req));
  return json(await updatePathMapping(actor, (await params).id, input, requestMeta(req)));
});

// DELETE /api/path-mappings/{id} (admin)
export const DELETE = route<Ctx>(async (req, { params }) => {
  const actor = await requireRequestActor(req);
  assertCan(actor, 'settings:manage');
  await deletePathMapping(actor, (await params).id, requestMeta(req));
  return new Response(null, { status: 204 });
});
