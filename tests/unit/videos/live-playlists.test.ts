// The growing stream's playlists as served (attempt-scoped URIs, no end, start at 0), their final VOD
// form, the ladder's EVENT options, and the prefix search query built from what people type.
import { describe, expect, it } from 'vitest';
import { buildLadderCommand, planLadder } from '@/lib/videos/ladder';
import { finalizePlaylist } from '@/lib/videos/build-hls';
import { liveVariantPlaylist, withToken } from '@/lib/videos/serve';
import { prefixTsQuery } from '@/lib/videos/library';

const EVENT = [
  '#EXTM3U',
  '#EXT-X-VERSION:6',
  '#EXT-X-TARGETDURATION:4',
  '#EXT-X-MEDIA-SEQUENCE:0',
  '#EXT-X-PLAYLIST-TYPE:EVENT',
  '#EXT-X-INDEPENDENT-SEGMENTS',
  '#EXT-X-KEY:METHOD=AES-128,URI="key",IV=0x00112233445566778899aabbccddeeff',
  '#EXTINF:4.000000,',
  'seg_000.ts',
  '#EXTINF:4.000000,',
  'seg_001.ts',
  '',
].join('\n');

describe('the growing stream', () => {
  it('is written by FFmpeg as EVENT playlists through temp files', () => {
    const rungs = planLadder({ width: 1280, height: 720 });
    const cmd = buildLadderCommand({ input: 'i', outDir: '/o', rungs, hasAudio: true, keyInfoFiles: rungs.map(() => 'k'), playlistType: 'event' });
    for (const o of cmd.outputs) {
      expect(o.options[o.options.indexOf('-hls_playlist_type') + 1]).toBe('event');
      expect(o.options[o.options.indexOf('-hls_flags') + 1]).toBe('independent_segments+temp_file');
    }
  });

  it('is served with every segment and key bound to its attempt, no end, from its start, and carries the token', () => {
    const served = withToken(liveVariantPlaylist(`${EVENT}#EXT-X-ENDLIST\n`, 'vid-abc12345'), 'TOKEN');
    expect(served).toContain('#EXT-X-START:TIME-OFFSET=0');
    expect(served).not.toContain('#EXT-X-ENDLIST');
    expect(served).toContain('#EXT-X-PLAYLIST-TYPE:EVENT');
    expect(served).toContain('URI="key?a=vid-abc12345&t=TOKEN"');
    expect(served.split('\n').filter((l) => l.startsWith('seg_'))).toEqual(['seg_000.ts?a=vid-abc12345&t=TOKEN', 'seg_001.ts?a=vid-abc12345&t=TOKEN']);
  });

  it('becomes a VOD playlist with an end, the same segments in the same order', () => {
    const vod = finalizePlaylist(EVENT);
    expect(vod).toContain('#EXT-X-PLAYLIST-TYPE:VOD');
    expect(vod).not.toContain('EVENT');
    expect(vod.trimEnd().endsWith('#EXT-X-ENDLIST')).toBe(true);
    expect(vod.split('\n').filter((l) => l.startsWith('seg_'))).toEqual(['seg_000.ts', 'seg_001.ts']);
    expect(finalizePlaylist(`${EVENT}#EXT-X-ENDLIST\n`).match(/#EXT-X-ENDLIST/g)).toHaveLength(1);
  });
});

describe('prefixTsQuery', () => {
  it('makes every typed word a prefix that must match, and lets no query syntax through', () => {
    expect(prefixTsQuery('surg')).toBe('surg:*');
    expect(prefixTsQuery('  Surg  BAS ')).toBe('surg:* & bas:*');
    expect(prefixTsQuery("surg:* | !(bak')")).toBe('surg:* & bak:*');
    expect(prefixTsQuery('Émile Zola')).toBe('émile:* & zola:*');
    expect(prefixTsQuery('!!! ::')).toBeNull();
  });
});
