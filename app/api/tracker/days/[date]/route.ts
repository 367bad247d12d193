import { route } from '@/lib/http/route';
import { json } from '@/lib/http/respond';
import { requireRequestActor } from '@/lib/auth/session';
import { getDayView } from '@/lib/tracker';

export const dynamic = 'force-dynamic';
type Ctx = { params: Promise<{ date: string }> };

// GET /api/tracker/days/{YYYY-MM-DD}: hourly buckets (23/25 on DST days), sessions and weighted pace in the caller's timezone
export const GET = route<Ctx>(async (req, { params }) => {
  const actor = await requireRequestActor(req);
  return json(await getDayView(actor, (await params).date));
});
