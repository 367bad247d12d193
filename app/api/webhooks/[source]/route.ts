import { route } from '@/lib/http/route';
import { notFound } from '@/lib/http/errors';
import { receiveMediaServerWebhook } from '@/lib/history/webhooks/receive';

export const dynamic = 'force-dynamic';

// POST /api/webhooks/{source}: one receiver per sender, authenticated by the install's webhook secret.
// The media servers feed history (lib/history); the *arr apps feed autoscan.
const RECEIVERS: Record<string, (req: Request) => Promise<Response>> = {
  plex: (req) => receiveMediaServerWebhook('plex', req),
  jellyfin: (req) => receiveMediaServerWebhook('jellyfin', req),
  emby: (req) => receiveMediaServerWebhook('emby', req),
};

export const POST = route<{ params: Promise<{ source: string }> }>(async (req, { params }) => {
  const { source } = await params;
  const receive = Object.hasOwn(RECEIVERS, source) ? RECEIVERS[source] : undefined;
  if (!receive) throw notFound('Webhook source');
  return receive(req);
});
