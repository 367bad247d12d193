import { route, readJson } from '@/lib/http/route';
import { json } from '@/lib/http/respond';
import { requireRequestActor, requestMeta } from '@/lib/auth/session';
import { assertCan } from '@/lib/auth/permissions';
import { getTautulliConnection, saveTautulliConnection } from '@/lib/history/import';
import { tautulliConnectionSchema } from '@/lib/history/schemas';

export const dynamic = 'force-dynamic';

// GET /api/imports/tautulli/connection: the saved connection (never its key) or null
export const GET = route(async (req) => {
  const actor = await requireRequestActor(req);
  assertCan(actor, 'history:import');
  return json({ connection: await getTautulliConnection(actor) });
});

// PUT /api/imports/tautulli/connection { url, apiKey }: tested, then saved (encrypted) → Tautulli's users
export const PUT = route(async (req) => {
  const actor = await requireRequestActor(req);
  assertCan(actor, 'history:import');
  const input = tautulliConnectionSchema.parse(await readJson(req));
  return json(await saveTautulliConnection(actor, input, requestMeta(req)));
});
