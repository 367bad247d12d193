import { route } from '@/lib/http/route';
import { requireRequestActor, requestMeta } from '@/lib/auth/session';
import { assertCan } from '@/lib/auth/permissions';
import { deleteScanSchedule } from '@/lib/scans';

export const dynamic = 'force-dynamic';
type Ctx = { params: Promise<{ id: string }> };

// DELETE /api/scans/schedules/{id} (admin)
export const DELETE = route<Ctx>(async (req, { params }) => {
  const actor = await requireRequestActor(req);
  assertCan(actor, 'settings:manage');
  await deleteScanSchedule(actor, (await params).id, requestMeta(req));
  return new Response(null, { status: 204 });
});
