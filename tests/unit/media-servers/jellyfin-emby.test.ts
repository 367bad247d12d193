/* eslint-disable @typescript-eslint/no-explicit-any -- fixture objects are mutated to make variants */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { MediaServerError } from '@/lib/media-servers/errors';
import { parseJson } from '@/lib/media-servers/http-client';
import {
  parseEmbyLibraries, parseEmbyPolicyAccess, parseEmbySession, parseEmbySessions, parseEmbyUsers,
} from '@/lib/media-servers/jellyfin-emby';

const fx = (dir: string, name: string) => JSON.parse(readFileSync(join(process.cwd(), 'tests/fixtures', dir, name), 'utf8')) as unknown;

describe('Jellyfin sessions', () => {
  const sessions = parseEmbySessions(fx('jellyfin', 'sessions_SYNTHESIZED.json'));

  test('idle sessions without NowPlayingItem are skipped', () => {
    expect(sessions).toHaveLength(2);
  });

  test('4K HDR10 episode transcoded to 1080p H.264', () => {
    expect(sessions[0]).toMatchObject({
      sessionKey: 'd41d8cd98f00b204e9800998ecf8427e', mediaUser: 'alice', mediaUserId: '0f1e2d3c4b5a69788796a5b4c3d2e1f0',
      title: 'Ozymandias', grandparentTitle: 'Breaking Bad', parentIndex: 5, index: 14, mediaType: 'episode', state: 'playing',
      progressMs: 612345, durationMs: 2838000, player: 'Firefox', platform: 'Jellyfin Web', product: 'Jellyfin Web 10.10.3',
      ipAddress: '203.0.113.24', isLocal: false, decision: 'transcode', videoDecision: 'transcode', audioDecision: 'transcode',
      sourceResolution: '4K', streamResolution: '1080p', hdr: 'HDR10', bandwidthKbps: 8616,
      thumb: 'a0b1c2d3e4f5061728394a5b6c7d8e9f', itemId: '7d3a2b1c0f9e8d7c6b5a493827161504',
    });
  });

  test('paused direct-play movie on the LAN', () => {
    expect(sessions[1]).toMatchObject({
      mediaUser: 'bob', title: 'Spirited Away', mediaType: 'movie', state: 'paused', decision: 'directplay',
      progressMs: 4012000, durationMs: 7486976, isLocal: true, ipAddress: '192.168.1.50', grandparentTitle: null, hdr: null,
    });
  });

  test('VideoRangeType variants map to HDR10+, DV and HLG; DirectStream and copy video are direct stream', () => {
    const raw = fx('jellyfin', 'sessions_SYNTHESIZED.json') as Record<string, any>[];
    const variant = (range: string) => {
      const s = structuredClone(raw[0]!);
      s.NowPlayingItem.MediaStreams[0].VideoRangeType = range;
      return parseEmbySession(s)!.hdr;
    };
    expect(variant('HDR10Plus')).toBe('HDR10+');
    expect(variant('DOVIWithHDR10')).toBe('DV');
    expect(variant('HLG')).toBe('HLG');
    expect(variant('SDR')).toBe('HDR10'); // VideoRange says HDR and the transfer is PQ
    const copy = structuredClone(raw[0]!);
    copy.TranscodingInfo.IsVideoDirect = true;
    expect(parseEmbySession(copy)).toMatchObject({ videoDecision: 'directstream', audioDecision: 'transcode', decision: 'transcode', streamResolution: '4K' });
    const ds = structuredClone(raw[0]!);
    ds.PlayState.PlayMethod = 'DirectStream';
    delete ds.TranscodingInfo;
    expect(parseEmbySession(ds)).toMatchObject({ decision: 'directstream', videoDecision: 'directstream', audioDecision: 'directstream', bandwidthKbps: 25517 });
  });
});

describe('Emby', () => {
  test('the docs remote-control session is idle (NowViewingItem only) and yields no session', () => {
    expect(parseEmbySessions([fx('emby', 'session_docs_remote_control.json')])).toEqual([]);
  });

  test('an Emby session with NowPlayingItem parses like Jellyfin', () => {
    const s = fx('emby', 'session_docs_remote_control.json') as Record<string, any>;
    s.NowPlayingItem = { ...s.NowViewingItem, Id: '12345', MediaStreams: [{ Type: 'Video', Width: 1920, Height: 1080, BitRate: 8000000 }, { Type: 'Audio', BitRate: 640000 }] };
    s.PlayState = { PositionTicks: 600000000, IsPaused: false, PlayMethod: 'DirectPlay' };
    expect(parseEmbySession(s)).toMatchObject({
      mediaUser: 'John', title: 'Partridge', grandparentTitle: 'Parks and Recreation', parentIndex: 5, index: 17,
      mediaType: 'episode', progressMs: 60000, durationMs: 1288224, decision: 'directplay', sourceResolution: '1080p',
      bandwidthKbps: 8640, isLocal: true, player: 'LIVINGROOM-PC', platform: 'Emby Theater',
    });
  });

  test('users and virtual folders from the Query endpoints (a library is known by the Guid EnabledFolders matches)', () => {
    expect(parseEmbyUsers(fx('emby', 'users_query_SYNTHESIZED.json'))).toEqual([
      { id: 'e6a9dd89fd954d689870e7e0e3e72947', name: 'admin', isAdmin: true, isDisabled: false },
    ]);
    expect(parseEmbyLibraries(fx('emby', 'virtual_folders_query_SYNTHESIZED.json'))).toEqual([
      { id: '0f9e8d7c6b5a49382716150413f2e1d0', name: '电影', type: 'movies', paths: ['\\\\10.10.10.10\\Video\\电影'] },
      { id: '1e2d3c4b5a69788796a5b4c3d2e1f00f', name: '电视剧', type: 'tvshows', paths: ['\\\\10.10.10.10\\Video\\电视剧'] },
    ]);
    const user = (fx('emby', 'users_query_SYNTHESIZED.json') as { Items: unknown[] }).Items[0];
    expect(parseEmbyPolicyAccess(user)).toEqual({ allLibraries: true, libraryIds: [] });
  });
});

describe('Jellyfin users and libraries', () => {
  test('users with admin/disabled flags', () => {
    const users = parseEmbyUsers(fx('jellyfin', 'users_SYNTHESIZED.json'));
    expect(users.map((u) => u.name)).toEqual(['alice', 'bob']);
    expect(users[0]!.isAdmin).toBe(true);
    expect(users[1]!.isAdmin).toBe(false);
  });

  test('virtual folders with locations', () => {
    expect(parseEmbyLibraries(fx('jellyfin', 'virtual_folders_SYNTHESIZED.json'))).toEqual([
      { id: 'f5061728394a5b6c7d8e9fa0b1c2d3e4', name: 'Movies', type: 'movies', paths: ['/data/movies'] },
      { id: '061728394a5b6c7d8e9fa0b1c2d3e4f5', name: 'Shows', type: 'tvshows', paths: ['/data/tv'] },
      { id: '1728394a5b6c7d8e9fa0b1c2d3e4f506', name: 'Music', type: 'music', paths: ['/data/music'] },
    ]);
  });

  test('media folders (HA sample) parse as libraries without paths', () => {
    expect(parseEmbyLibraries(fx('jellyfin', 'media_folders_ha_trimmed.json'))).toEqual([
      { id: 'COLLECTION-FOLDER-UUID', name: 'COLLECTION FOLDER', type: 'tvshows', paths: [] },
    ]);
  });
});

describe('malformed responses', () => {
  test('truncated JSON is a typed bad_response', () => {
    const text = readFileSync(join(process.cwd(), 'tests/fixtures/jellyfin/sessions_SYNTHESIZED.json'), 'utf8');
    expect(() => parseJson(text.slice(0, 500), 'The Jellyfin server')).toThrow(MediaServerError);
  });

  test('wrong shapes are typed errors, junk elements are skipped', () => {
    expect(() => parseEmbySessions({ Items: [] })).toThrow(expect.objectContaining({ code: 'bad_response' }));
    expect(() => parseEmbyUsers('nope')).toThrow(expect.objectContaining({ code: 'bad_response' }));
    expect(() => parseEmbyPolicyAccess({ Id: 'x' })).toThrow(expect.objectContaining({ code: 'bad_response' }));
    expect(parseEmbySessions([null, 3, 'x', { NowPlayingItem: 'bad' }])).toEqual([]);
    expect(parseEmbySession({ Id: 'a', NowPlayingItem: {} })).toMatchObject({ title: 'Unknown', mediaType: 'other', decision: 'directplay' });
  });
});
