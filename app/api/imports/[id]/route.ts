import { route } from '@/lib/http/route';
import { json } from '@/lib/http/respond';
import { requireRequestActor } from '@/lib/auth/session';
import { assertCan } from '@/lib/auth/permissions';
import { getImportStatus } from '@/lib/history/import';

export const dynamic = 'force-dynamic';

// GET /api/imports/{id} → { id, status, imported, skipped, total, error? }
export const GET = route<{ params: Promise<{ id: string }> }>(async (req, { params }) => {
  const actor = await requireRequestActor(req);
  assertCan(actor, 'history:import');
  const { id } = await params;
  return json(await getImportStatus(actor, id));
});
