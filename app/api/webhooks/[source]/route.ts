import { route } from '@/lib/http/route';
import { notFound } from '@/lib/http/errors';
import { receiveMediaServerWebhook } from '@/lib/history/webhooks/receive';
import { receiveArrWebhook } from '@/lib/scans/webhooks/receive';

export const dynamic = 'force-dynamic';
type Ctx = { params: Promise<{ source: string }> };

// POST /api/webhooks/{source}: one receiver per sender, authenticated by the install's webhook secret.
// The media servers feed history (lib/history); the *arr apps feed autoscan (lib/scans).
const RECEIVERS: Record<string, (req: Request) => Promise<Response>> = {
  plex: (req) => receiveMediaServerWebhook('plex', req),
  jellyfin: (req) => receiveMediaServerWebhook('jellyfin', req),
  emby: (req) => receiveMediaServerWebhook('emby', req),
  sonarr: (req) => receiveArrWebhook('sonarr', req),
  radarr: (req) => receiveArrWebhook('radarr', req),
  lidarr: (req) => receiveArrWebhook('lidarr', req),
  readarr: (req) => receiveArrWebhook('readarr', req),
};

export const POST = route<Ctx>(async (req, { params }) => {
  const { source } = await params;
  const receive = Object.hasOwn(RECEIVERS, source) ? RECEIVERS[source] : undefined;
  if (!receive) throw notFound('Webhook source');
  return receive(req);
});
