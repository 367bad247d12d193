import { route } from '@/lib/http/route';
import { json } from '@/lib/http/respond';
import { requireRequestActor, requestMeta } from '@/lib/auth/session';
import { runJobNow } from '@/lib/jobs/status';

export const dynamic = 'force-dynamic';
type Ctx = { params: Promise<{ name: string }> };

// POST /api/jobs/{name}/run: queue one run of a recurring job now (admin, audited)
export const POST = route<Ctx>(async (req, { params }) => {
  const actor = await requireRequestActor(req);
  return json(await runJobNow(actor, (await params).name, requestMeta(req)), { status: 202 });
});
