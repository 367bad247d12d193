// Plex webhooks (the JSON of the multipart `payload` part). Plex sends no timestamp, no session key
// and no platform; Player.publicAddress is the player's public (WAN) address, not its LAN one.
import { z } from 'zod';
import { boolean, number, requiredText, text, type ParseWebhookOptions, type PlaybackKind, type WebhookEvent } from './types';
import type { MediaType } from '../../media-servers/types';

const KINDS: Record<string, PlaybackKind> = {
  'media.play': 'play',
  'media.pause': 'pause',
  'media.resume': 'resume',
  'media.stop': 'stop',
  'media.scrobble': 'scrobble',
};

const envelopeSchema = z.looseObject({
  event: requiredText,
  Server: z.looseObject({ uuid: text, title: text }).nullish().catch(null),
});

const playbackSchema = z.looseObject({
  Account: z.looseObject({ id: text, title: text }).nullish().catch(null),
  Player: z.looseObject({ title: text, uuid: text, publicAddress: text, local: boolean }).nullish().catch(null),
  Metadata: z.looseObject({
    ratingKey: requiredText,
    type: text,
    title: text,
    grandparentTitle: text,
    parentTitle: text,
    parentIndex: number,
    index: number,
    duration: number,
    viewOffset: number,
    librarySectionID: text,
    librarySectionTitle: text,
  }),
});

function mediaTypeOf(type: string | null | undefined): MediaType {
  return type === 'movie' || type === 'episode' || type === 'track' ? type : 'other';
}

export function parsePlexWebhook(payload: unknown, opts: ParseWebhookOptions = {}): WebhookEvent {
  const at = opts.receivedAt ?? new Date();
  const envelope = envelopeSchema.parse(payload);
  const serverIdentity = envelope.Server?.uuid ?? null;
  const kind = KINDS[envelope.event];
  if (!kind) return { source: 'plex', kind: 'ignored', event: envelope.event, serverIdentity, at };

  const p = playbackSchema.parse(payload);
  const m = p.Metadata;
  const mediaType = mediaTypeOf(m.type);
  return {
    source: 'plex',
    kind,
    event: envelope.event,
    serverIdentity,
    serverName: envelope.Server?.title ?? null,
    mediaUser: { id: p.Account?.id ?? null, name: p.Account?.title ?? null },
    item: {
      key: m.ratingKey,
      title: m.title ?? 'Unknown',
      // As the poller: the show of an episode, the artist of a track (album when no artist).
      grandparentTitle: mediaType === 'track' ? (m.grandparentTitle ?? m.parentTitle ?? null) : (m.grandparentTitle ?? null),
      parentIndex: m.parentIndex ?? null,
      index: m.index ?? null,
      mediaType,
      durationMs: m.duration ?? null,
      libraryId: m.librarySectionID ?? null,
      libraryName: m.librarySectionTitle ?? null,
    },
    positionMs: m.viewOffset ?? null,
    playedToCompletion: null,
    player: p.Player?.title ?? null,
    platform: null,
    product: null,
    deviceId: p.Player?.uuid ?? null,
    ipAddress: p.Player?.publicAddress ?? null,
    isLocal: p.Player?.local ?? null,
    sessionKey: null,
    at,
  };
}
