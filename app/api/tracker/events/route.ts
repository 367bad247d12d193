import { readJson } from '@/lib/http/route';
import { json } from '@/lib/http/respond';
import { preflight, withCors } from '@/lib/http/cors';
import { requireRequestActor } from '@/lib/auth/session';
import { enforceRateLimit, POLICIES } from '@/lib/rate-limit';
import { recordTrackerEvent, trackerEventSchema } from '@/lib/tracker';
import { trackerCorsPolicy } from '@/lib/tracker/cors';

export const dynamic = 'force-dynamic';

const policy = () => trackerCorsPolicy(['POST']);

// OPTIONS /api/tracker/events: CORS preflight, answered only for TRACKER_ALLOWED_ORIGINS
export function OPTIONS(req: Request) {
  return preflight(req, policy());
}

// POST /api/tracker/events { type: NEXT|PAUSE|UNDO|EXIT, timestamp } → { sessionId, items, lastItemS, lastItemMmss, … }
export const POST = withCors(policy, async (req: Request) => {
  const actor = await requireRequestActor(req, { scope: 'tracker' });
  await enforceRateLimit(`user:${actor.id}`, POLICIES.trackerEvent);
  const input = trackerEventSchema.parse(await readJson(req));
  return json(await recordTrackerEvent(actor, input));
});
