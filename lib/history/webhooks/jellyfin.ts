// The Jellyfin webhook plugin with "Send All Properties" on: one flat JSON object per notification
// (one per user when a session has several). PlaybackProgress arrives every few seconds while playing
// and on every pause/unpause; IsPaused says which state the player is in.
import { z } from 'zod';
import { isPrivateAddress } from '../../media-servers/normalize';
import {
  boolean,
  mediaTypeOfJellyfinEmby,
  normalizeGuid,
  number,
  parseTime,
  requiredText,
  text,
  ticksToMs,
  type ParseWebhookOptions,
  type PlaybackKind,
  type WebhookEvent,
} from './types';

const envelopeSchema = z.looseObject({
  NotificationType: requiredText,
  ServerId: text,
  ServerName: text,
  UtcTimestamp: text,
  Timestamp: text,
});

const playbackSchema = z.looseObject({
  ItemId: requiredText,
  ItemType: text,
  Name: text,
  SeriesName: text,
  Album: text,
  Artist: text,
  SeasonNumber: number,
  EpisodeNumber: number,
  RunTimeTicks: number,
  PlaybackPositionTicks: number,
  IsPaused: boolean,
  PlayedToCompletion: boolean,
  UserId: text,
  NotificationUsername: text,
  Username: text,
  DeviceId: text,
  DeviceName: text,
  ClientName: text,
  Client: text,
  RemoteEndPoint: text,
  Id: text,
  LibraryIdByMaxPath: text,
  LibraryNameByMaxPath: text,
});

/**
 * The plugin escapes `"` as `\"` in item and server names (for its JSON templates) and then, with
 * Send All Properties, serializes the escaped text once more: undo that one escape.
 */
function unescapeQuotes(value: string | null | undefined): string | null {
  return value ? value.replace(/\\"/g, '"') : null;
}

function kindOf(type: string, paused: boolean | null | undefined): PlaybackKind | null {
  if (type === 'PlaybackStart') return 'play';
  if (type === 'PlaybackStop') return 'stop';
  if (type === 'PlaybackProgress') return paused ? 'pause' : 'resume';
  return null;
}

export function parseJellyfinWebhook(payload: unknown, opts: ParseWebhookOptions = {}): WebhookEvent {
  const received = opts.receivedAt ?? new Date();
  const envelope = envelopeSchema.parse(payload);
  const serverIdentity = normalizeGuid(envelope.ServerId);
  const at = parseTime(envelope.UtcTimestamp ?? envelope.Timestamp, received);
  const type = envelope.NotificationType;
  if (type !== 'PlaybackStart' && type !== 'PlaybackStop' && type !== 'PlaybackProgress') {
    return { source: 'jellyfin', kind: 'ignored', event: type, serverIdentity, at };
  }
  const p = playbackSchema.parse(payload);
  const mediaType = mediaTypeOfJellyfinEmby(p.ItemType);
  const ip = p.RemoteEndPoint ?? null;
  const runTimeMs = ticksToMs(p.RunTimeTicks);
  return {
    source: 'jellyfin',
    kind: kindOf(type, p.IsPaused)!,
    event: type,
    serverIdentity,
    serverName: unescapeQuotes(envelope.ServerName),
    mediaUser: { id: normalizeGuid(p.UserId), name: p.NotificationUsername ?? p.Username ?? null },
    item: {
      key: normalizeGuid(p.ItemId)!,
      title: unescapeQuotes(p.Name) ?? 'Unknown',
      grandparentTitle: mediaType === 'episode' ? unescapeQuotes(p.SeriesName) : mediaType === 'track' ? (p.Artist ?? p.Album ?? null) : null,
      parentIndex: p.SeasonNumber ?? null,
      index: p.EpisodeNumber ?? null,
      mediaType,
      // The plugin sends RunTimeTicks 0 for an item of unknown length.
      durationMs: runTimeMs || null,
      // Newer plugin versions name the library whose folder holds the item (longest matching path).
      libraryId: normalizeGuid(p.LibraryIdByMaxPath),
      libraryName: p.LibraryNameByMaxPath ?? null,
    },
    positionMs: ticksToMs(p.PlaybackPositionTicks),
    playedToCompletion: type === 'PlaybackStop' ? (p.PlayedToCompletion ?? null) : null,
    player: p.DeviceName ?? null,
    platform: p.ClientName ?? p.Client ?? null,
    product: p.ClientName ?? p.Client ?? null,
    deviceId: p.DeviceId ?? null,
    ipAddress: ip,
    isLocal: ip ? isPrivateAddress(ip) : null,
    sessionKey: p.Id ?? null,
    at,
  };
}
