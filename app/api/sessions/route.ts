import { route } from '@/lib/http/route';
import { json } from '@/lib/http/respond';
import { requireRequestActor } from '@/lib/auth/session';
import { listSessions } from '@/lib/servers';

export const dynamic = 'force-dynamic';

// GET /api/sessions[?serverId=] → { sessions: [normalized session] } for the servers the caller may see
export const GET = route(async (req) => {
  const actor = await requireRequestActor(req);
  const serverId = new URL(req.url).searchParams.get('serverId') ?? undefined;
  return json({ sessions: await listSessions(actor, { serverId }) });
});
