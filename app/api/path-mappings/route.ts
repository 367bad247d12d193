import { route, readJson } from '@/lib/http/route';
import { json } from '@/lib/http/respond';
import { requireRequestActor, requestMeta } from '@/lib/auth/session';
import { assertCan } from '@/lib/auth/permissions';
import { createPathMapping, listPathMappings, pathMappingSchema } from '@/lib/scans';

export const dynamic = 'force-dynamic';

// GET /api/path-mappings → { mappings } (in the order they are tried)
export const GET = route(async (req) => {
  const actor = await requireRequestActor(req);
  assertCan(actor, 'scans:view');
  return json({ mappings: await listPathMappings(actor) });
});

// POST /api/path-mappings { from, to, kind, serverId? } → 201 { id, … } (admin)
export const POST = route(async (req) => {
  const actor = await requireRequestActor(req);
  assertCan(actor, 'settings:manage');
  const input = pathMappingSchema.parse(await readJson(req));
  return json(await createPathMapping(actor, input, requestMeta(req)), { status: 201 });
});
