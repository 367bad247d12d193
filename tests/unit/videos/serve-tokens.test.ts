import { describe, expect, it } from 'vitest';
import { classifyHlsPath, withToken } from '@/lib/videos/serve';
import { sealPlaybackToken, verifyPlaybackToken } from '@/lib/videos/tokens';


describe('classifyHlsPath', () => {
  it('accepts exactly the files of a published tree', () => {
    expect(classifyHlsPath(['master.m3u8'])).toEqual({ kind: 'master', file: 'master.m3u8' });
    expect(classifyHlsPath(['v3', 'index.m3u8'])).toMatchObject({ kind: 'variant', rendition: 'v3' });
    expect(classifyHlsPath(['v0', 'seg_012.ts'])).toMatchObject({ kind: 'segment' });
    expect(classifyHlsPath(['v0', 'key'])).toMatchObject({ kind: 'key' });
    expect(classifyHlsPath(['storyboard.vtt'])).toMatchObject({ kind: 'vtt' });
  });
  it('refuses traversal and anything else', () => {
    for (const p of [['..'], ['..', 'master.m3u8'], ['v0', '..'], ['v0', '../key'], ['v0', 'seg_1.ts'], ['v0', 'seg_001.ts', 'x'], ['vx', 'key'], ['%2e%2e'], ['master.m3u8%00'], [], ['v0', 'index.m3u8\n']]) {
      expect(classifyHlsPath(p)).toBeNull();
    }
  });
});

describe('withToken', () => {
  it('adds the token to segment, playlist and key URIs', () => {
    const variant = '#EXTM3U\n#EXT-X-KEY:METHOD=AES-128,URI="key",IV=0x01\n#EXTINF:4.0,\nseg_000.ts\n#EXT-X-ENDLIST\n';
    expect(withToken(variant, 'a+b')).toBe('#EXTM3U\n#EXT-X-KEY:METHOD=AES-128,URI="key?t=a%2Bb",IV=0x01\n#EXTINF:4.0,\nseg_000.ts?t=a%2Bb\n#EXT-X-ENDLIST\n');
    expect(withToken('#EXT-X-STREAM-INF:BANDWIDTH=1\nv0/index.m3u8\n', 'T')).toBe('#EXT-X-STREAM-INF:BANDWIDTH=1\nv0/index.m3u8?t=T\n');
    expect(withToken('WEBVTT\n\n00:00:00.000 --> 00:00:01.000\nstoryboard.jpg#xywh=0,0,160,90\n', 'T')).toContain('storyboard.jpg?t=T#xywh=0,0,160,90');
  });
});

describe('playback tokens', () => {
  it('round-trips for the sealed video only, until it expires', async () => {
    const t = await sealPlaybackToken('vid1', 'user1', 60);
    expect(await verifyPlaybackToken(t, 'vid1')).toMatchObject({ videoId: 'vid1', userId: 'user1' });
    expect(await verifyPlaybackToken(t, 'vid2')).toBeNull();
    expect(await verifyPlaybackToken(t, 'vid1', Date.now() + 61_000)).toBeNull();
    const short = await sealPlaybackToken('vid1', 'user1', 5, Date.now() - 10_000);
    expect(await verifyPlaybackToken(short, 'vid1')).toBeNull();
    expect(await verifyPlaybackToken(t.slice(0, -3) + 'xyz', 'vid1')).toBeNull();
    expect(await verifyPlaybackToken('', 'vid1')).toBeNull();
  });
});
