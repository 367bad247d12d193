import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { MediaServerError } from '@/lib/media-servers/errors';
import {
  parsePlexAccounts, parsePlexContainer, parsePlexIdentity, parsePlexLibraries, parsePlexSession, parsePlexSessions,
  parsePlexSharedServers, parsePlexSourceMedia,
} from '@/lib/media-servers/plex';

const fx = (name: string) => readFileSync(join(process.cwd(), 'tests/fixtures/plex', name), 'utf8');

describe('Plex sessions', () => {
  test('full video+audio transcode (HEVC→H.264) is a transcode of both streams', () => {
    const [s] = parsePlexSessions(fx('sessions_transcode_hevc_to_h264_plexopedia.xml'));
    expect(s).toMatchObject({
      sessionKey: 'rxiscwekkvkpukgi3pm9nklp', mediaUser: 'APlexUser', mediaUserId: '1', title: 'tos-1720x720-cfg01',
      mediaType: 'movie', state: 'playing', progressMs: 0, durationMs: 734166, player: 'Firefox', platform: 'Firefox',
      product: 'Plex Web', ipAddress: '127.0.0.1', isLocal: true, decision: 'transcode', videoDecision: 'transcode',
      audioDecision: 'transcode', sourceResolution: '720p', streamResolution: '720p', hdr: null, bandwidthKbps: 10000000,
      thumb: '/library/metadata/286254/thumb/1667839616', itemId: '286254', library: 'Other videos',
    });
  });

  test('video copy + audio transcode without a TranscodeSession uses the stream decisions', () => {
    const [s] = parsePlexSessions(fx('sessions_transcode_audio_ha.xml'));
    expect(s).toMatchObject({
      sessionKey: 'session_id_1', mediaUser: 'User 1', title: 'Movie 1', mediaType: 'movie', decision: 'transcode',
      videoDecision: 'directstream', audioDecision: 'transcode', sourceResolution: '720p', streamResolution: '720p',
      bandwidthKbps: 7000, isLocal: true, ipAddress: '1.2.3.11', product: 'Plex for Android (TV)', durationMs: 9000000,
    });
  });

  test('direct-play music track (XML) has no video decision', () => {
    const [s] = parsePlexSessions(fx('sessions_directplay_track_plexopedia.xml'));
    expect(s).toMatchObject({
      mediaType: 'track', title: 'Beautiful Day', grandparentTitle: 'U2', decision: 'directplay', videoDecision: null,
      audioDecision: 'directplay', sourceResolution: null, streamResolution: null, hdr: null, bandwidthKbps: 990,
      durationMs: 248066, mediaUser: 'APlexUser', thumb: '/library/metadata/286462/thumb/1670411478',
    });
  });

  test('direct-play music track (JSON, numbers and booleans) parses the same way', () => {
    const [s] = parsePlexSessions(fx('sessions_directplay_track_spec.json'));
    expect(s).toMatchObject({
      sessionKey: '93h7e00ncblxncqw9lkfaoxi', mediaType: 'track', title: 'The American Dream Is Killing Me',
      grandparentTitle: 'Green Day', parentIndex: 1, index: 1, state: 'playing', progressMs: 1000, durationMs: 186240,
      decision: 'directplay', videoDecision: null, audioDecision: 'directplay', bandwidthKbps: 1050, isLocal: true,
      mediaUser: 'Blindkitty38', ipAddress: '10.10.10.171', product: 'Plex for Windows',
    });
  });

  test('legacy 2016 sessions: paused track and a copy-video/transcode-audio episode, no Session element', () => {
    const sessions = parsePlexSessions(fx('sessions_legacy_2016_track_and_copy_video_goplexclient.xml'));
    expect(sessions).toHaveLength(2);
    const track = sessions.find((s) => s.mediaType === 'track')!;
    const ep = sessions.find((s) => s.mediaType === 'episode')!;
    expect(track).toMatchObject({ state: 'paused', decision: 'directplay', sessionKey: '18', progressMs: 117412, bandwidthKbps: 279, isLocal: true });
    expect(ep).toMatchObject({
      title: 'Shiva', grandparentTitle: 'Talking Dead', parentIndex: 5, index: 23, state: 'paused', decision: 'transcode',
      videoDecision: 'directstream', audioDecision: 'transcode', sourceResolution: '720p', streamResolution: '720p', sessionKey: '19',
    });
  });

  test('live TV with a TranscodeSession nested in Media and no Player/User/Session', () => {
    const [s] = parsePlexSessions(fx('sessions_livetv_ha.xml'));
    expect(s).toMatchObject({
      sessionKey: '/livetv/sessions/live_tv_1', mediaUser: null, mediaType: 'episode', state: 'playing', decision: 'directstream',
      videoDecision: 'directstream', audioDecision: 'directstream', sourceResolution: '1080p', durationMs: 7200000,
    });
  });

  test('HDR is read from the video stream (colorTrc, DOVIPresent, display title)', () => {
    const base = fx('sessions_transcode_audio_ha.xml');
    const hdr10 = base.replace('displayTitle="720p (H.264)"', 'displayTitle="4K (HEVC Main 10 HDR)" colorTrc="smpte2084"').replace('videoResolution="720p"', 'videoResolution="4k"');
    expect(parsePlexSessions(hdr10)[0]).toMatchObject({ hdr: 'HDR10', sourceResolution: '4K' });
    const dv = base.replace('displayTitle="720p (H.264)"', 'DOVIPresent="1" displayTitle="4K DoVi/HDR10 (HEVC)"');
    expect(parsePlexSessions(dv)[0]!.hdr).toBe('DV');
    const hlg = base.replace('displayTitle="720p (H.264)"', 'colorTrc="arib-std-b67" displayTitle="1080p HLG"');
    expect(parsePlexSessions(hlg)[0]!.hdr).toBe('HLG');
  });

  test('stream resolution comes from the transcoder when video is transcoded', () => {
    const text = fx('sessions_transcode_hevc_to_h264_plexopedia.xml').replace('transcodeHwRequested="1"', 'transcodeHwRequested="1" width="854" height="356"');
    expect(parsePlexSessions(text)[0]).toMatchObject({ sourceResolution: '720p', streamResolution: '480p' });
  });

  test('a transcoding session\'s Media is the transcoder output: the source comes from the stream displayTitle', () => {
    // What Plex sends for a 4K HDR10 file transcoded to 1080p: Media/Stream describe the h264 output.
    const text = fx('sessions_transcode_hevc_to_h264_plexopedia.xml')
      .replace('height="720" optimizedForStreaming="1" protocol="dash" videoCodec="h264" videoFrameRate="24p" videoResolution="720p" width="1720"', 'height="1080" optimizedForStreaming="1" protocol="dash" videoCodec="h264" videoFrameRate="24p" videoResolution="1080" width="1920"')
      .replace('displayTitle="720p (HEVC Main)" extendedDisplayTitle="720p (HEVC Main)"', 'displayTitle="4K HDR10 (HEVC Main 10)" extendedDisplayTitle="4K HDR10 (HEVC Main 10)"');
    expect(parsePlexSessions(text)[0]).toMatchObject({ videoDecision: 'transcode', sourceResolution: '4K', streamResolution: '1080p', hdr: 'HDR10' });
  });

  test('with the source Media of /library/metadata (as Tautulli reads it), resolution and HDR come from the file', () => {
    const session = parsePlexContainer(fx('sessions_transcode_hevc_to_h264_plexopedia.xml'));
    const item = (session.Video as Record<string, unknown>);
    // The library item: two versions of the file; the session plays Media 350106.
    const metadata = `<MediaContainer size="1"><Video ratingKey="286254" type="movie" title="tos-1720x720-cfg01">
      <Media id="1" videoResolution="1080" width="1920" height="1080"><Part id="9"><Stream streamType="1" codec="h264" displayTitle="1080p (H.264)"/></Part></Media>
      <Media id="350106" videoResolution="4k" width="3840" height="2160" videoCodec="hevc"><Part id="350466"><Stream streamType="1" codec="hevc" colorTrc="smpte2084" DOVIPresent="1" displayTitle="4K DoVi/HDR10 (HEVC Main 10)"/></Part></Media>
    </Video></MediaContainer>`;
    const source = parsePlexSourceMedia(metadata, '350106');
    expect(source?.id).toBe('350106');
    expect(parsePlexSourceMedia(metadata, 'missing')?.id).toBe('1');
    expect(parsePlexSession(item, source!)).toMatchObject({ sourceResolution: '4K', streamResolution: '720p', hdr: 'DV' });
    expect(parsePlexSourceMedia('<MediaContainer size="0"></MediaContainer>', '1')).toBeNull();
  });

  test('an empty container is no sessions', () => {
    expect(parsePlexSessions('<MediaContainer size="0"></MediaContainer>')).toEqual([]);
    expect(parsePlexSessions('{"MediaContainer":{"size":0}}')).toEqual([]);
  });

  test('truncated XML, malformed JSON and HTML give a typed bad_response error', () => {
    const full = fx('sessions_transcode_audio_ha.xml');
    for (const bad of [full.slice(0, full.length / 2), '{"MediaContainer": {"size": 1, "Metadata": [', '<html><body>Not Plex</body></html>', 'plain text', '{"foo":1}']) {
      let err: unknown;
      try {
        parsePlexSessions(bad);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(MediaServerError);
      expect((err as MediaServerError).code).toBe('bad_response');
    }
  });
});

describe('Plex identity, users, libraries, sharing', () => {
  test('identity in XML and JSON', () => {
    expect(parsePlexIdentity(fx('identity_plexdlweb.xml'))).toEqual({ machineId: 'abcdef123456abcdef123456abcdef123456abcd', version: '1.32.5.7516-8f4248874' });
    expect(parsePlexIdentity(fx('identity_spec.json'))).toEqual({ machineId: '96f2fe7a78c9dc1f16a16bedbe90f98149be16b4', version: '1.31.3.6868-28fc46b27' });
  });

  test('root capabilities carry the friendly name', () => {
    expect(parsePlexContainer(fx('root_server_capabilities_ha.xml')).friendlyName).toBe('plex');
  });

  test('accounts skip the id 0 system account', () => {
    expect(parsePlexAccounts(fx('accounts_ha.xml')).map((a) => a.id)).toEqual(['1', '1000', '1001']);
    const managed = parsePlexAccounts(fx('accounts_plexopedia.xml'));
    expect(managed.length).toBeGreaterThanOrEqual(2);
    expect(managed.every((a) => a.id !== '0' && a.name.length > 0)).toBe(true);
  });

  test('library sections with their folder paths', () => {
    expect(parsePlexLibraries(fx('library_sections_ha.xml'))).toEqual([
      { id: '1', name: 'Movies', type: 'movie', paths: ['/storage/movies'] },
      { id: '2', name: 'TV Shows', type: 'show', paths: ['/storage/tvshows'] },
      { id: '3', name: 'Music', type: 'artist', paths: ['/storage/music'] },
    ]);
  });

  test('plex.tv shared servers give per-user section keys, and plex.tv\'s section id of each key', () => {
    const xml = '<MediaContainer><SharedServer id="77" userID="1000" allLibraries="0"><Section id="9" key="1" shared="1"/><Section id="10" key="2" shared="0"/></SharedServer></MediaContainer>';
    expect(parsePlexSharedServers(xml)).toEqual([{ id: '77', userId: '1000', allLibraries: false, sectionKeys: ['1'], sectionIdByKey: new Map([['1', 9], ['2', 10]]) }]);
  });

  test('an identity without machineIdentifier is the wrong server type', () => {
    expect(() => parsePlexIdentity('<MediaContainer size="0"/>')).toThrow(expect.objectContaining({ code: 'wrong_server_type' }));
  });
});

describe('every Plex fixture', () => {
  test('parses into a MediaContainer without throwing (XML and JSON alike)', async () => {
    const { readdirSync } = await import('node:fs');
    const files = readdirSync(join(process.cwd(), 'tests/fixtures/plex'));
    expect(files.length).toBeGreaterThanOrEqual(18);
    // plex.tv's account document has a <user> root, not a MediaContainer.
    for (const f of files.filter((n) => !n.startsWith('plextv_account'))) expect(typeof parsePlexContainer(fx(f))).toBe('object');
    expect(() => parsePlexContainer(fx('plextv_account_plexapi.xml'))).toThrow(expect.objectContaining({ code: 'bad_response' }));
    const sessions = files.filter((f) => f.startsWith('sessions_')).flatMap((f) => parsePlexSessions(fx(f)));
    expect(sessions).toHaveLength(7);
    for (const s of sessions) expect(['directplay', 'directstream', 'transcode']).toContain(s.decision);
  });
});
