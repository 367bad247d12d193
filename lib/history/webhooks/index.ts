// Media-server webhook payload → normalized WebhookEvent, one parser per sender.
import type { MediaServerSource } from '../../webhooks/sources';
import { parseEmbyWebhook } from './emby';
import { parseJellyfinWebhook } from './jellyfin';
import { parsePlexWebhook } from './plex';
import type { ParseWebhookOptions, WebhookEvent } from './types';

export { parseEmbyWebhook, parseJellyfinWebhook, parsePlexWebhook };
export type { IgnoredWebhookEvent, PlaybackKind, ParseWebhookOptions, WebhookEvent, WebhookEventKind, WebhookItem, WebhookMediaSource, WebhookPlaybackEvent } from './types';

const PARSERS: Record<MediaServerSource, (payload: unknown, opts?: ParseWebhookOptions) => WebhookEvent> = {
  plex: parsePlexWebhook,
  jellyfin: parseJellyfinWebhook,
  emby: parseEmbyWebhook,
};

/** Throws a ZodError (→ 422 through route()) when a playback event lacks what it must carry. */
export function parseMediaServerWebhook(source: MediaServerSource, payload: unknown, opts?: ParseWebhookOptions): WebhookEvent {
  return PARSERS[source](payload, opts);
}
