import { route, readJson } from '@/lib/http/route';
import { json } from '@/lib/http/respond';
import { requireRequestActor, requestMeta } from '@/lib/auth/session';
import { assertCan } from '@/lib/auth/permissions';
import { createServer, createServerSchema, listServers } from '@/lib/servers';

export const dynamic = 'force-dynamic';

// GET /api/servers: the servers the caller may see (never their tokens)
export const GET = route(async (req) => {
  const actor = await requireRequestActor(req);
  return json({ servers: await listServers(actor) });
});

// POST /api/servers { type, name, url, token } → 201 after a live connection test (422 with the reason)
export const POST = route(async (req) => {
  const actor = await requireRequestActor(req);
  assertCan(actor, 'servers:manage');
  const input = createServerSchema.parse(await readJson(req));
  return json(await createServer(actor, input, requestMeta(req)), { status: 201 });
});
