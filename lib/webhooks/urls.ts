// The webhook URLs an admin pastes into Plex, Jellyfin, Emby and the *arr apps.
import { env } from '../env';
import { assertCan } from '../auth/permissions';
import type { Actor, RequestMeta } from '../auth/actor';
import { getOrCreateWebhookSecret } from './secret';
import { WEBHOOK_SOURCES, type WebhookSource } from './sources';

export type WebhookUrls = Record<WebhookSource, string>;

/**
 * The origin senders should call: PUBLIC_URL when configured (Marquee behind a proxy or a name the
 * media servers resolve), else the origin the admin's own request addressed (the forwarded host and
 * protocol only reach here when TRUST_PROXY lets them through, see lib/http/forwarded.ts).
 */
export function publicOrigin(req: Pick<Request, 'url' | 'headers'>, publicUrl = env.PUBLIC_URL): string {
  if (publicUrl) return new URL(publicUrl).origin;
  const url = new URL(req.url);
  const host = (req.headers.get('x-forwarded-host') ?? req.headers.get('host'))?.split(',')[0]?.trim();
  if (!host) return url.origin;
  const proto = req.headers.get('x-forwarded-proto')?.split(',')[0]?.trim() || url.protocol.replace(':', '');
  try {
    return new URL(`${proto}://${host}`).origin;
  } catch {
    return url.origin;
  }
}

export function buildWebhookUrls(origin: string, secret: string): WebhookUrls {
  const base = origin.replace(/\/+$/, '');
  return Object.fromEntries(
    WEBHOOK_SOURCES.map((source) => [source, `${base}/api/webhooks/${source}?token=${encodeURIComponent(secret)}`]),
  ) as WebhookUrls;
}

/** The URLs with the current secret (created on first use). Admin only: each URL is a credential. */
export async function getWebhookUrls(actor: Actor, origin: string, meta?: RequestMeta): Promise<WebhookUrls> {
  assertCan(actor, 'settings:manage');
  return buildWebhookUrls(origin, await getOrCreateWebhookSecret({ actor, meta }));
}
