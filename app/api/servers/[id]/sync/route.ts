import { route } from '@/lib/http/route';
import { json } from '@/lib/http/respond';
import { requireRequestActor, requestMeta } from '@/lib/auth/session';
import { syncServerDirectory } from '@/lib/servers';

export const dynamic = 'force-dynamic';
type Ctx = { params: Promise<{ id: string }> };

// POST /api/servers/{id}/sync: re-read media users and libraries from the server now
export const POST = route<Ctx>(async (req, { params }) => {
  const actor = await requireRequestActor(req);
  return json(await syncServerDirectory(actor, (await params).id, requestMeta(req)));
});
