import { route } from '@/lib/http/route';
import { json } from '@/lib/http/respond';
import { requireRequestActor, requestMeta } from '@/lib/auth/session';
import { assertCan } from '@/lib/auth/permissions';
import { retryScan } from '@/lib/scans';

export const dynamic = 'force-dynamic';
type Ctx = { params: Promise<{ id: string }> };

// POST /api/scans/{id}/retry → 202 { queued }: the finished scan's request is routed again
export const POST = route<Ctx>(async (req, { params }) => {
  const actor = await requireRequestActor(req);
  assertCan(actor, 'scans:manage');
  return json(await retryScan(actor, (await params).id, requestMeta(req)), { status: 202 });
});
