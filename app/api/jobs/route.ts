import { route } from '@/lib/http/route';
import { json } from '@/lib/http/respond';
import { requireRequestActor } from '@/lib/auth/session';
import { listJobs } from '@/lib/jobs/status';

export const dynamic = 'force-dynamic';

// GET /api/jobs: every background job with its last run, state and next run (admin)
export const GET = route(async (req) => {
  const actor = await requireRequestActor(req);
  return json({ jobs: await listJobs(actor) });
});
