import { route } from '@/lib/http/route';
import { notFound } from '@/lib/http/errors';
import { receiveArrWebhook } from '@/lib/scans/webhooks/receive';

export const dynamic = 'force-dynamic';
type Ctx = { params: Promise<{ source: string }> };

// POST /api/webhooks/{source}: each sender's receiver, authenticated by the install's webhook secret.
const RECEIVERS: Record<string, (req: Request) => Promise<Response>> = {
  sonarr: (req) => receiveArrWebhook('sonarr', req),
  radarr: (req) => receiveArrWebhook('radarr', req),
  lidarr: (req) => receiveArrWebhook('lidarr', req),
  readarr: (req) => receiveArrWebhook('readarr', req),
};

export const POST = route<Ctx>(async (req, { params }) => {
  const { source } = await params;
  const receive = Object.hasOwn(RECEIVERS, source) ? RECEIVERS[source] : undefined;
  if (!receive) throw notFound('Webhook receiver');
  return receive(req);
});
