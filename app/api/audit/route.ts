import { route } from '@/lib/http/route';
import { json } from '@/lib/http/respond';
import { requireRequestActor } from '@/lib/auth/session';
import { listAudit, parseAuditQuery } from '@/lib/audit';

export const dynamic = 'force-dynamic';

// GET /api/audit?limit&cursor&order&action&actorId&targetType&from&to: keyset-paginated audit log (admin)
export const GET = route(async (req) => {
  const actor = await requireRequestActor(req);
  const q = parseAuditQuery(new URL(req.url).searchParams);
  return json(await listAudit(actor, q));
});
