import { route, readJson } from '@/lib/http/route';
import { json } from '@/lib/http/respond';
import { requireRequestActor, requestMeta } from '@/lib/auth/session';
import { assertCan } from '@/lib/auth/permissions';
import { createScanSchedule, listScanSchedules, scanScheduleSchema } from '@/lib/scans';

export const dynamic = 'force-dynamic';

// GET /api/scans/schedules → { schedules }
export const GET = route(async (req) => {
  const actor = await requireRequestActor(req);
  assertCan(actor, 'scans:view');
  return json({ schedules: await listScanSchedules(actor) });
});

// POST /api/scans/schedules { path, cron, serverIds? } → 201 (admin)
export const POST = route(async (req) => {
  const actor = await requireRequestActor(req);
  assertCan(actor, 'settings:manage');
  const input = scanScheduleSchema.parse(await readJson(req));
  return json(await createScanSchedule(actor, input, requestMeta(req)), { status: 201 });
});
