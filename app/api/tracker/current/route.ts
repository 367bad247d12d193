import { json } from '@/lib/http/respond';
import { preflight, withCors } from '@/lib/http/cors';
import { requireRequestActor } from '@/lib/auth/session';
import { getOpenSessionState } from '@/lib/tracker';
import { trackerCorsPolicy } from '@/lib/tracker/cors';

export const dynamic = 'force-dynamic';

const policy = () => trackerCorsPolicy(['GET']);

// OPTIONS /api/tracker/current: CORS preflight, answered only for TRACKER_ALLOWED_ORIGINS
export function OPTIONS(req: Request) {
  return preflight(req, policy());
}

// GET /api/tracker/current: the open session as the widget shows it ({ open: false } when none)
export const GET = withCors(policy, async (req: Request) => {
  const actor = await requireRequestActor(req, { scope: 'tracker' });
  return json((await getOpenSessionState(actor)) ?? { open: false, items: 0 });
});
