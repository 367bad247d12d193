// Emby's native webhooks (Emby 4.7+: JSON, or the same JSON in the `data` field of a multipart form).
import { z } from 'zod';
import { isPrivateAddress } from '../../media-servers/normalize';
import {
  boolean,
  mediaTypeOfJellyfinEmby,
  number,
  parseTime,
  requiredText,
  text,
  ticksToMs,
  type ParseWebhookOptions,
  type PlaybackKind,
  type WebhookEvent,
} from './types';

const KINDS: Record<string, PlaybackKind> = {
  'playback.start': 'play',
  'playback.pause': 'pause',
  'playback.unpause': 'resume',
  'playback.stop': 'stop',
};

const envelopeSchema = z.looseObject({
  Event: requiredText,
  Date: text,
  Server: z.looseObject({ Id: text, Name: text }).nullish().catch(null),
});

const playbackSchema = z.looseObject({
  User: z.looseObject({ Id: text, Name: text }).nullish().catch(null),
  Item: z.looseObject({
    Id: requiredText,
    Name: text,
    Type: text,
    SeriesName: text,
    Album: text,
    AlbumArtist: text,
    ParentIndexNumber: number,
    IndexNumber: number,
    RunTimeTicks: number,
  }),
  Session: z
    .looseObject({ Id: text, Client: text, DeviceName: text, DeviceId: text, ApplicationVersion: text, RemoteEndPoint: text })
    .nullish()
    .catch(null),
  PlaybackInfo: z.looseObject({ PositionTicks: number, PlayedToCompletion: boolean }).nullish().catch(null),
});

export function parseEmbyWebhook(payload: unknown, opts: ParseWebhookOptions = {}): WebhookEvent {
  const received = opts.receivedAt ?? new Date();
  const envelope = envelopeSchema.parse(payload);
  const serverIdentity = envelope.Server?.Id ?? null;
  const at = parseTime(envelope.Date, received);
  const kind = KINDS[envelope.Event];
  if (!kind) return { source: 'emby', kind: 'ignored', event: envelope.Event, serverIdentity, at };

  const p = playbackSchema.parse(payload);
  const item = p.Item;
  const session = p.Session;
  const mediaType = mediaTypeOfJellyfinEmby(item.Type);
  const ip = session?.RemoteEndPoint ?? null;
  return {
    source: 'emby',
    kind,
    event: envelope.Event,
    serverIdentity,
    serverName: envelope.Server?.Name ?? null,
    mediaUser: { id: p.User?.Id ?? null, name: p.User?.Name ?? null },
    item: {
      key: item.Id,
      title: item.Name ?? 'Unknown',
      grandparentTitle: mediaType === 'episode' ? (item.SeriesName ?? null) : mediaType === 'track' ? (item.AlbumArtist ?? item.Album ?? null) : null,
      parentIndex: item.ParentIndexNumber ?? null,
      index: item.IndexNumber ?? null,
      mediaType,
      durationMs: ticksToMs(item.RunTimeTicks) || null,
      libraryId: null,
      libraryName: null,
    },
    positionMs: ticksToMs(p.PlaybackInfo?.PositionTicks),
    playedToCompletion: kind === 'stop' ? (p.PlaybackInfo?.PlayedToCompletion ?? null) : null,
    player: session?.DeviceName ?? null,
    platform: session?.Client ?? null,
    // As the poller builds it from /Sessions: client and its version.
    product: [session?.Client, session?.ApplicationVersion].filter(Boolean).join(' ') || null,
    deviceId: session?.DeviceId ?? null,
    ipAddress: ip,
    isLocal: ip ? isPrivateAddress(ip) : null,
    sessionKey: session?.Id ?? null,
    at,
  };
}
