import { route } from '@/lib/http/route';
import { json } from '@/lib/http/respond';
import { requireRequestActor, requestMeta } from '@/lib/auth/session';
import { assertCan } from '@/lib/auth/permissions';
import { getWebhookUrls, publicOrigin } from '@/lib/webhooks';

export const dynamic = 'force-dynamic';

// GET /api/webhooks: the webhook URL of every sender, each carrying the install's secret (admin only)
export const GET = route(async (req) => {
  const actor = await requireRequestActor(req);
  assertCan(actor, 'settings:manage');
  return json({ urls: await getWebhookUrls(actor, publicOrigin(req), requestMeta(req)) });
});
