// The one shape every media-server webhook is turned into, so the history code handles Plex,
// Jellyfin and Emby the same way (and the same way as a poll, see ProviderSession).
import { z } from 'zod';
import type { MediaType } from '../../media-servers/types';

export type WebhookMediaSource = 'plex' | 'jellyfin' | 'emby';

/**
 * - play: playback started. pause / resume: the player's state is now paused / playing (Jellyfin's
 *   periodic PlaybackProgress maps to one of these too, so both must be idempotent).
 * - stop: the player stopped; close the play. scrobble: Plex's "watched past 90 %" mark, playback goes on.
 * - ignored: anything else the sender reports (library.new, ItemAdded, user sign-ins, tests…).
 */
export type PlaybackKind = 'play' | 'pause' | 'resume' | 'stop' | 'scrobble';
export type WebhookEventKind = PlaybackKind | 'ignored';

export interface WebhookItem {
  /** Plex ratingKey, Jellyfin ItemId, Emby Item.Id. */
  key: string;
  title: string;
  /** Show of an episode, artist (else album) of a track. */
  grandparentTitle: string | null;
  /** Season of an episode, disc/album index of a track. */
  parentIndex: number | null;
  /** Episode or track number. */
  index: number | null;
  mediaType: MediaType;
  durationMs: number | null;
  libraryId: string | null;
  libraryName: string | null;
}

export interface WebhookPlaybackEvent {
  source: WebhookMediaSource;
  kind: PlaybackKind;
  /** The sender's own event name (media.play, PlaybackProgress, playback.unpause…). */
  event: string;
  /** Matches MediaServer.machineId: Plex Server.uuid, Jellyfin ServerId, Emby Server.Id. */
  serverIdentity: string | null;
  serverName: string | null;
  mediaUser: { id: string | null; name: string | null };
  item: WebhookItem;
  positionMs: number | null;
  /** Jellyfin/Emby: the server's own verdict on a stop. */
  playedToCompletion: boolean | null;
  player: string | null;
  platform: string | null;
  product: string | null;
  deviceId: string | null;
  ipAddress: string | null;
  isLocal: boolean | null;
  /** Jellyfin/Emby session id (the same id /Sessions reports, so polls and webhooks meet); Plex sends none. */
  sessionKey: string | null;
  /** When the sender says it happened, else when it was received. */
  at: Date;
}

export interface IgnoredWebhookEvent {
  source: WebhookMediaSource;
  kind: 'ignored';
  event: string;
  serverIdentity: string | null;
  at: Date;
}

export type WebhookEvent = WebhookPlaybackEvent | IgnoredWebhookEvent;

export interface ParseWebhookOptions {
  /** Time to use when the payload carries none (Plex never does). Default: now. */
  receivedAt?: Date;
}

// Lenient field parsers: a sender version (or a Jellyfin template) that sends a number as a string,
// or a field we merely display in an odd type, must not cost us the event.
export const text = z
  .union([z.string(), z.number()])
  .transform((v) => (typeof v === 'number' ? String(v) : v.trim() || null))
  .nullish()
  .catch(null);

export const requiredText = z.union([z.string().trim().min(1), z.number().transform(String)]);

export const number = z
  .union([z.number(), z.string().trim().regex(/^-?\d+(\.\d+)?$/).transform(Number)])
  .nullish()
  .catch(null);

export const boolean = z
  .union([z.boolean(), z.string().trim().toLowerCase().pipe(z.enum(['true', 'false', '1', '0'])).transform((v) => v === 'true' || v === '1')])
  .nullish()
  .catch(null);

/** Jellyfin/Emby serialize GUIDs as 32 hex digits; some versions and templates add the dashes back. */
export function normalizeGuid(id: string | null | undefined): string | null {
  if (!id) return null;
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id) ? id.replace(/-/g, '').toLowerCase() : id;
}

export const TICKS_PER_MS = 10_000;

export function ticksToMs(ticks: number | null | undefined): number | null {
  return ticks === null || ticks === undefined || ticks < 0 ? null : Math.round(ticks / TICKS_PER_MS);
}

export function parseTime(value: string | null | undefined, fallback: Date): Date {
  if (!value) return fallback;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? fallback : d;
}

/** Jellyfin/Emby item types → the poller's media types. */
export function mediaTypeOfJellyfinEmby(type: string | null | undefined): MediaType {
  switch (type) {
    case 'Movie':
      return 'movie';
    case 'Episode':
      return 'episode';
    case 'Audio':
      return 'track';
    default:
      return 'other';
  }
}
