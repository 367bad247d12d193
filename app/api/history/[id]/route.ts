import { route } from '@/lib/http/route';
import { json } from '@/lib/http/respond';
import { requireRequestActor } from '@/lib/auth/session';
import { assertCan } from '@/lib/auth/permissions';
import { getPlay } from '@/lib/history/read';

export const dynamic = 'force-dynamic';

// GET /api/history/{id}: one play with its stream detail and pauses (404 outside the caller's scope)
export const GET = route<{ params: Promise<{ id: string }> }>(async (req, { params }) => {
  const actor = await requireRequestActor(req);
  assertCan(actor, 'history:view');
  const { id } = await params;
  return json({ play: await getPlay(actor, id) });
});
