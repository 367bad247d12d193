import { route } from '@/lib/http/route';
import { json } from '@/lib/http/respond';
import { requireRequestActor } from '@/lib/auth/session';
import { getBandwidth } from '@/lib/servers';

export const dynamic = 'force-dynamic';

// GET /api/servers/bandwidth → { bandwidth: { [serverId]: [{ at, totalKbps, lanKbps, wanKbps, streams }] } } over the last hour
export const GET = route(async (req) => {
  const actor = await requireRequestActor(req);
  return json({ bandwidth: await getBandwidth(actor) });
});
