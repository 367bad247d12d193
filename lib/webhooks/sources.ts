// The senders Marquee accepts webhooks from: the media servers feed history (§5), the *arr apps feed autoscan (§6).
export const MEDIA_SERVER_SOURCES = ['plex', 'jellyfin', 'emby'] as const;
export const ARR_SOURCES = ['sonarr', 'radarr', 'lidarr', 'readarr'] as const;
export const WEBHOOK_SOURCES = [...MEDIA_SERVER_SOURCES, ...ARR_SOURCES] as const;

export type MediaServerSource = (typeof MEDIA_SERVER_SOURCES)[number];
export type ArrSource = (typeof ARR_SOURCES)[number];
export type WebhookSource = (typeof WEBHOOK_SOURCES)[number];

export function isWebhookSource(value: string): value is WebhookSource {
  return (WEBHOOK_SOURCES as readonly string[]).includes(value);
}
