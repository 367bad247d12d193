import { route, readJson } from '@/lib/http/route';
import { json } from '@/lib/http/respond';
import { requireRequestActor, requestMeta } from '@/lib/auth/session';
import { assertCan } from '@/lib/auth/permissions';
import { clearScans, clearScansQuerySchema, listScans, listScansQuerySchema, manualScanSchema, requestManualScan } from '@/lib/scans';

export const dynamic = 'force-dynamic';

const queryOf = (req: Request) => Object.fromEntries(new URL(req.url).searchParams);

// GET /api/scans?status&state&serverId&source&q&limit&cursor → { scans, nextCursor }
export const GET = route(async (req) => {
  const actor = await requireRequestActor(req);
  assertCan(actor, 'scans:view');
  return json(await listScans(actor, listScansQuerySchema.parse(queryOf(req))));
});

// POST /api/scans { path, serverIds? } → 202 { queued }
export const POST = route(async (req) => {
  const actor = await requireRequestActor(req);
  assertCan(actor, 'scans:manage');
  const input = manualScanSchema.parse(await readJson(req));
  return json(await requestManualScan(actor, input, requestMeta(req)), { status: 202 });
});

// DELETE /api/scans?status=done|failed|skipped → { deleted } (clears finished scans)
export const DELETE = route(async (req) => {
  const actor = await requireRequestActor(req);
  assertCan(actor, 'scans:manage');
  const { status } = clearScansQuerySchema.parse(queryOf(req));
  return json(await clearScans(actor, status, requestMeta(req)));
});
