import { route, readJson } from '@/lib/http/route';
import { json } from '@/lib/http/respond';
import { requireRequestActor } from '@/lib/auth/session';
import { assertCan } from '@/lib/auth/permissions';
import { testServerConnection, testServerSchema } from '@/lib/servers';

export const dynamic = 'force-dynamic';

// POST /api/servers/test { type, url, token } → { ok: true, identity } or 422 with the reason
export const POST = route(async (req) => {
  const actor = await requireRequestActor(req);
  assertCan(actor, 'servers:manage');
  const input = testServerSchema.parse(await readJson(req));
  return json({ ok: true, identity: await testServerConnection(actor, input) });
});
