import { route } from '@/lib/http/route';
import { json } from '@/lib/http/respond';
import { requireRequestActor } from '@/lib/auth/session';
import { assertCan } from '@/lib/auth/permissions';
import { getAnalytics } from '@/lib/analytics';

export const dynamic = 'force-dynamic';

// GET /api/analytics?range=24h|7d|30d|180d|365d | from=&to= &serverId= &tz= &limit=: every report over the plays the caller may see
export const GET = route(async (req) => {
  const actor = await requireRequestActor(req);
  assertCan(actor, 'history:view');
  return json(await getAnalytics(actor, Object.fromEntries(new URL(req.url).searchParams)));
});
