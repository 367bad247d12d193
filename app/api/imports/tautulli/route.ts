import { route, readJson } from '@/lib/http/route';
import { json } from '@/lib/http/respond';
import { requireRequestActor, requestMeta } from '@/lib/auth/session';
import { assertCan } from '@/lib/auth/permissions';
import { startTautulliImport } from '@/lib/history/import';
import { tautulliImportSchema } from '@/lib/history/schemas';

export const dynamic = 'force-dynamic';

// POST /api/imports/tautulli { url?, apiKey? } (omitted → the saved connection): queues an import → 202 { id }
export const POST = route(async (req) => {
  const actor = await requireRequestActor(req);
  assertCan(actor, 'history:import');
  const input = tautulliImportSchema.parse(await readJson(req));
  return json(await startTautulliImport(actor, input, requestMeta(req)), { status: 202 });
});
