import { route } from '@/lib/http/route';
import { json } from '@/lib/http/respond';
import { requireRequestActor } from '@/lib/auth/session';
import { listRecentSessions, listSessionsQuerySchema } from '@/lib/tracker';

export const dynamic = 'force-dynamic';

// GET /api/tracker/sessions?limit=: the caller's recent sessions with their pace
export const GET = route(async (req) => {
  const actor = await requireRequestActor(req);
  const q = listSessionsQuerySchema.parse(Object.fromEntries(new URL(req.url).searchParams));
  return json({ sessions: await listRecentSessions(actor, q.limit) });
});
