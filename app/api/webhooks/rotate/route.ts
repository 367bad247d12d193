import { route } from '@/lib/http/route';
import { json } from '@/lib/http/respond';
import { requireRequestActor, requestMeta } from '@/lib/auth/session';
import { assertCan } from '@/lib/auth/permissions';
import { buildWebhookUrls, publicOrigin, rotateWebhookSecret } from '@/lib/webhooks';

export const dynamic = 'force-dynamic';

// POST /api/webhooks/rotate: replace the webhook secret; every sender must get its new URL (admin only, audited)
export const POST = route(async (req) => {
  const actor = await requireRequestActor(req);
  assertCan(actor, 'settings:manage');
  const secret = await rotateWebhookSecret(actor, requestMeta(req));
  return json({ urls: buildWebhookUrls(publicOrigin(req), secret) });
});
