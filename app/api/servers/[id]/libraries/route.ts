import { route } from '@/lib/http/route';
import { json } from '@/lib/http/respond';
import { requireRequestActor } from '@/lib/auth/session';
import { listMediaLibraries } from '@/lib/servers';

export const dynamic = 'force-dynamic';
type Ctx = { params: Promise<{ id: string }> };

// GET /api/servers/{id}/libraries: libraries with their folder paths
export const GET = route<Ctx>(async (req, { params }) => {
  const actor = await requireRequestActor(req);
  return json({ libraries: await listMediaLibraries(actor, (await params).id) });
});
