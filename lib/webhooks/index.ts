// Webhook groundwork shared by the history receivers (Plex/Jellyfin/Emby) and autoscan (*arr apps):
// the install's secret, request authentication, and bounded body readers.
export { authenticateWebhook, invalidWebhookSecret, presentedWebhookSecrets } from './auth';
export {
  isMultipart,
  jsonDepthExceeds,
  parseWebhookJsonText,
  readWebhookJson,
  readWebhookMultipart,
  readWebhookPayload,
  WEBHOOK_MAX_BYTES,
  WEBHOOK_MAX_DEPTH,
  WEBHOOK_MULTIPART_MAX_BYTES,
  WEBHOOK_PAYLOAD_FIELDS,
} from './body';
export { findWebhookSecret, getOrCreateWebhookSecret, rotateWebhookSecret } from './secret';
export { ARR_SOURCES, isWebhookSource, MEDIA_SERVER_SOURCES, WEBHOOK_SOURCES, type ArrSource, type MediaServerSource, type WebhookSource } from './sources';
export { buildWebhookUrls, getWebhookUrls, publicOrigin, type WebhookUrls } from './urls';
