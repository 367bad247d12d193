import { route, readJson } from '@/lib/http/route';
import { json } from '@/lib/http/respond';
import { requireRequestActor } from '@/lib/auth/session';
import { assertCan } from '@/lib/auth/permissions';
import { testPathSchema, testScanPath } from '@/lib/scans';

export const dynamic = 'force-dynamic';

// POST /api/path-mappings/test { path } → { folder, targets: [{ serverName, mappedPath, libraries, reason }] }
export const POST = route(async (req) => {
  const actor = await requireRequestActor(req);
  assertCan(actor, 'scans:view');
  const { path } = testPathSchema.parse(await readJson(req));
  return json(await testScanPath(actor, path));
});
