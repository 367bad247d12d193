// Media-server webhook payloads (real captures and the plugin-source-built Jellyfin ones in
// tests/fixtures) → the normalized event the history code consumes.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { ZodError } from 'zod';
import { parseEmbyWebhook, parseJellyfinWebhook, parseMediaServerWebhook, parsePlexWebhook, type WebhookPlaybackEvent } from '@/lib/history/webhooks';

const fx = (dir: string, name: string) => JSON.parse(readFileSync(join(process.cwd(), 'tests/fixtures', dir, name), 'utf8')) as Record<string, unknown>;
const receivedAt = new Date('2026-11-29T20:00:00Z');

function playback(event: ReturnType<typeof parsePlexWebhook>): WebhookPlaybackEvent {
  if (event.kind === 'ignored') throw new Error(`expected a playback event, got ignored ${event.event}`);
  return event;
}

describe('Plex webhooks', () => {
  test('media.play (music track): user, server, player and item', () => {
    const e = playback(parsePlexWebhook(fx('plex-webhook', 'media.play.json'), { receivedAt }));
    expect(e).toMatchObject({
      source: 'plex',
      kind: 'play',
      event: 'media.play',
      serverIdentity: '54664a3d8acc39983675640ec9ce00b70af9cc36',
      serverName: 'Office',
      mediaUser: { id: '1', name: 'elan' },
      player: 'Plex Web (Safari)',
      deviceId: 'r6yfkdnfggbh2bdnvkffwbms',
      ipAddress: '200.200.200.200',
      isLocal: true,
      sessionKey: null,
      positionMs: null,
    });
    expect(e.item).toEqual({
      key: '1936545',
      title: "Love The One You're With",
      grandparentTitle: 'Stephen Stills',
      parentIndex: 1,
      index: 1,
      mediaType: 'track',
      durationMs: null,
      libraryId: '1224',
      libraryName: null,
    });
    // Plex sends no time: the receive time stands in.
    expect(e.at).toEqual(receivedAt);
  });

  test('media.pause (episode, truncated capture without parentIndex)', () => {
    const e = playback(parsePlexWebhook(fx('plex-webhook', 'media.pause.json'), { receivedAt }));
    expect(e.kind).toBe('pause');
    expect(e.mediaUser).toEqual({ id: '7109', name: 'xxxxxx' });
    expect(e.player).toBe('Apple TV');
    expect(e.item).toMatchObject({ key: '567283', title: 'Episode 5', grandparentTitle: 'Travel Guides (AU)', parentIndex: null, index: 5, mediaType: 'episode', libraryId: '5', libraryName: 'TV Shows' });
  });

  test('media.resume maps to resume (the pause capture with its event renamed: no public resume sample exists)', () => {
    const payload = { ...fx('plex-webhook', 'media.pause.json'), event: 'media.resume' };
    expect(playback(parsePlexWebhook(payload)).kind).toBe('resume');
  });

  test('media.stop (remote music player)', () => {
    const e = playback(parsePlexWebhook(fx('plex-webhook', 'media.stop.json')));
    expect(e).toMatchObject({
      kind: 'stop',
      serverIdentity: '123456789abcd',
      mediaUser: { id: '123456789', name: 'john.doe@example.com' },
      player: 'Living Room TV',
      isLocal: false,
      ipAddress: '192.168.x.x',
    });
    expect(e.item).toMatchObject({ key: '14454', title: 'You Belong With Me', grandparentTitle: 'Taylor Swift', parentIndex: 1, index: 6, mediaType: 'track', libraryName: 'Music' });
  });

  test('media.scrobble (episode with duration, CJK titles)', () => {
    const e = playback(parsePlexWebhook(fx('plex-webhook', 'media.scrobble.json')));
    expect(e.kind).toBe('scrobble');
    expect(e.mediaUser).toEqual({ id: '31646104', name: '播放' });
    expect(e.item).toEqual({
      key: '40294',
      title: "The World's Strongest Senior",
      grandparentTitle: '范马刃牙',
      parentIndex: 1,
      index: 1,
      mediaType: 'episode',
      durationMs: 1_500_000,
      libraryId: '7',
      libraryName: '动漫剧集',
    });
  });

  test('a viewOffset, when Plex includes one, is the position in ms', () => {
    const payload = fx('plex-webhook', 'media.scrobble.json');
    (payload.Metadata as Record<string, unknown>).viewOffset = 1_380_000;
    expect(playback(parsePlexWebhook(payload)).positionMs).toBe(1_380_000);
  });

  test('library.new is ignored (and keeps the server identity)', () => {
    expect(parsePlexWebhook(fx('plex-webhook', 'library.new.json'), { receivedAt })).toEqual({
      source: 'plex',
      kind: 'ignored',
      event: 'library.new',
      serverIdentity: '7b64abb13817a3b8c3a0776af127a001ea0b9ec7',
      at: receivedAt,
    });
  });

  test('a playback event without Metadata.ratingKey, or a payload without event, is refused', () => {
    const payload = fx('plex-webhook', 'media.play.json');
    delete (payload.Metadata as Record<string, unknown>).ratingKey;
    expect(() => parsePlexWebhook(payload)).toThrow(ZodError);
    expect(() => parsePlexWebhook({ Server: { uuid: 'x' } })).toThrow(ZodError);
    expect(() => parsePlexWebhook('media.play')).toThrow(ZodError);
  });
});

describe('Jellyfin webhook plugin (Send All Properties)', () => {
  const start = fx('jellyfin-webhook', 'PlaybackStart_SYNTHESIZED.json');

  test('PlaybackStart: 4K episode, user, session, device', () => {
    const e = playback(parseJellyfinWebhook(start));
    expect(e).toEqual({
      source: 'jellyfin',
      kind: 'play',
      event: 'PlaybackStart',
      serverIdentity: '4a1b2c3d4e5f60718293a4b5c6d7e8f9',
      serverName: 'jellyfin',
      mediaUser: { id: '0f1e2d3c4b5a69788796a5b4c3d2e1f0', name: 'alice' },
      item: {
        key: '7d3a2b1c0f9e8d7c6b5a493827161504',
        title: 'Ozymandias',
        grandparentTitle: 'Breaking Bad',
        parentIndex: 5,
        index: 14,
        mediaType: 'episode',
        durationMs: 2_838_000, // 28,380,000,000 ticks of 100 ns = 47:18
        libraryId: null,
        libraryName: null,
      },
      positionMs: 0,
      playedToCompletion: null,
      player: 'Firefox',
      platform: 'Jellyfin Web',
      product: 'Jellyfin Web',
      deviceId: 'TW96aWxsYS81LjAgKFgxMTsgTGludXggeDg2XzY0KQ11',
      ipAddress: '203.0.113.24',
      isLocal: false,
      sessionKey: 'd41d8cd98f00b204e9800998ecf8427e',
      at: new Date('2025-01-12T20:41:07.123Z'),
    });
  });

  test('PlaybackProgress: IsPaused true → pause, false → resume; position from ticks', () => {
    const paused = playback(parseJellyfinWebhook({ ...start, NotificationType: 'PlaybackProgress', IsPaused: true, PlaybackPositionTicks: 6_000_000_000 }));
    expect(paused.kind).toBe('pause');
    expect(paused.positionMs).toBe(600_000);
    const playing = playback(parseJellyfinWebhook({ ...start, NotificationType: 'PlaybackProgress', IsPaused: false, PlaybackPositionTicks: 6_100_000_000 }));
    expect(playing.kind).toBe('resume');
    expect(playing.positionMs).toBe(610_000);
  });

  test('PlaybackStop carries PlayedToCompletion; the older plugin field Username names the user', () => {
    const { NotificationUsername: _drop, ...older } = start;
    const e = playback(parseJellyfinWebhook({ ...older, Username: 'alice', NotificationType: 'PlaybackStop', PlayedToCompletion: true, PlaybackPositionTicks: 28_000_000_000 }));
    expect(e.kind).toBe('stop');
    expect(e.playedToCompletion).toBe(true);
    expect(e.positionMs).toBe(2_800_000);
    expect(e.mediaUser.name).toBe('alice');
  });

  test('dashed GUIDs (older servers, templates) are normalized to the 32-hex form /Sessions uses', () => {
    const e = playback(parseJellyfinWebhook({ ...start, UserId: '0F1E2D3C-4B5A-6978-8796-A5B4C3D2E1F0', ServerId: '4a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9' }));
    expect(e.mediaUser.id).toBe('0f1e2d3c4b5a69788796a5b4c3d2e1f0');
    expect(e.serverIdentity).toBe('4a1b2c3d4e5f60718293a4b5c6d7e8f9');
  });

  test('numbers and booleans rendered as strings by a template still parse', () => {
    const e = playback(parseJellyfinWebhook({ ...start, NotificationType: 'PlaybackProgress', IsPaused: 'True', PlaybackPositionTicks: '12340000', SeasonNumber: '5' }));
    expect(e.kind).toBe('pause');
    expect(e.positionMs).toBe(1234);
    expect(e.item.parentIndex).toBe(5);
  });

  test('names the plugin escaped for its templates (\\") come out with plain quotes', () => {
    // For the title The "Big" One the plugin's JSON decodes to the text The \"Big\" One.
    const e = playback(parseJellyfinWebhook({ ...start, Name: 'The \\"Big\\" One', SeriesName: 'Say \\"Hi\\"' }));
    expect(e.item.title).toBe('The "Big" One');
    expect(e.item.grandparentTitle).toBe('Say "Hi"');
  });

  test('the library newer plugin versions add (LibraryIdByMaxPath/LibraryNameByMaxPath) is kept', () => {
    const e = playback(parseJellyfinWebhook({ ...start, LibraryIdByMaxPath: 'f137a2dd21bbc1b99aa5c0f6bf02a805', LibraryNameByMaxPath: 'Shows' }));
    expect(e.item).toMatchObject({ libraryId: 'f137a2dd21bbc1b99aa5c0f6bf02a805', libraryName: 'Shows' });
  });

  test('ItemAdded is ignored', () => {
    expect(parseJellyfinWebhook(fx('jellyfin-webhook', 'ItemAdded_SYNTHESIZED.json'))).toEqual({
      source: 'jellyfin',
      kind: 'ignored',
      event: 'ItemAdded',
      serverIdentity: '4a1b2c3d4e5f60718293a4b5c6d7e8f9',
      at: new Date('2025-01-12T20:05:00.555Z'),
    });
  });

  test('a playback notification without ItemId is refused', () => {
    const { ItemId: _drop, ...rest } = start;
    expect(() => parseJellyfinWebhook(rest)).toThrow(ZodError);
  });
});

describe('Emby webhooks', () => {
  test('playback.start (episode): position 14,256,663,550 ticks → 1,425,666 ms', () => {
    const e = playback(parseEmbyWebhook(fx('emby-webhook', 'playback.start_episode.json')));
    expect(e).toEqual({
      source: 'emby',
      kind: 'play',
      event: 'playback.start',
      serverIdentity: 'f40a5bd0c6b64051bdbed00580fa1118',
      serverName: 'PN41',
      mediaUser: { id: 'e6a9dd89fd954d689870e7e0e3e72947', name: 'admin' },
      item: {
        key: '240252',
        title: '第 11 集',
        grandparentTitle: '长风渡',
        parentIndex: 1,
        index: 11,
        mediaType: 'episode',
        durationMs: 2_802_145,
        libraryId: null,
        libraryName: null,
      },
      positionMs: 1_425_666,
      playedToCompletion: null,
      player: 'Microsoft Edge Windows',
      platform: 'Emby Web',
      product: 'Emby Web 4.7.13.0',
      deviceId: '30239450-1748-4855-9799-de3544fc2744',
      ipAddress: '10.10.10.253',
      isLocal: true,
      sessionKey: 'c336b028b893558b333d1a49238b7db1',
      at: new Date('2023-08-19T00:52:20.520Z'),
    });
  });

  test('playback.stop (movie) with PlayedToCompletion=false', () => {
    const e = playback(parseEmbyWebhook(fx('emby-webhook', 'playback.stop_movie.json')));
    expect(e).toMatchObject({ kind: 'stop', playedToCompletion: false, positionMs: 1_743_179, at: new Date('2023-08-19T00:49:07.852Z') });
    expect(e.item).toMatchObject({ key: '240270', title: '蜘蛛侠：纵横宇宙', grandparentTitle: null, parentIndex: null, index: null, mediaType: 'movie', durationMs: 8_043_959 });
  });

  test('playback.pause / playback.unpause → pause / resume', () => {
    const start = fx('emby-webhook', 'playback.start_episode.json');
    expect(playback(parseEmbyWebhook({ ...start, Event: 'playback.pause' })).kind).toBe('pause');
    expect(playback(parseEmbyWebhook({ ...start, Event: 'playback.unpause' })).kind).toBe('resume');
  });

  test('library.new and the webhook test are ignored', () => {
    const start = fx('emby-webhook', 'playback.start_episode.json');
    expect(parseEmbyWebhook({ ...start, Event: 'library.new' })).toMatchObject({ kind: 'ignored', event: 'library.new', serverIdentity: 'f40a5bd0c6b64051bdbed00580fa1118' });
    expect(parseEmbyWebhook({ Event: 'system.webhooktest', Server: { Id: 'abc' } })).toMatchObject({ kind: 'ignored', event: 'system.webhooktest', serverIdentity: 'abc' });
  });

  test('parseMediaServerWebhook dispatches by source', () => {
    expect(parseMediaServerWebhook('emby', fx('emby-webhook', 'playback.stop_movie.json')).kind).toBe('stop');
    expect(parseMediaServerWebhook('plex', fx('plex-webhook', 'media.scrobble.json')).kind).toBe('scrobble');
    expect(parseMediaServerWebhook('jellyfin', fx('jellyfin-webhook', 'ItemAdded_SYNTHESIZED.json')).kind).toBe('ignored');
  });
});
