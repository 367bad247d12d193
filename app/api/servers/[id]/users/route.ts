import { route } from '@/lib/http/route';
import { json } from '@/lib/http/respond';
import { requireRequestActor } from '@/lib/auth/session';
import { listMediaUsers } from '@/lib/servers';

export const dynamic = 'force-dynamic';
type Ctx = { params: Promise<{ id: string }> };

// GET /api/servers/{id}/users: media users synced from the server
export const GET = route<Ctx>(async (req, { params }) => {
  const actor = await requireRequestActor(req);
  return json({ users: await listMediaUsers(actor, (await params).id) });
});
