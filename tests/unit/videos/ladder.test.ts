import { describe, expect, it } from 'vitest';
import {
  avcCodec,
  buildLadderCommand,
  ladderArgs,
  masterPlaylist,
  measureBandwidth,
  parseSegments,
  planLadder,
  planStoryboard,
  storyboardVtt,
} from '@/lib/videos/ladder';

describe('planLadder', () => {
  it('keeps the rungs at or below the source height', () => {
    expect(planLadder({ width: 1920, height: 1080 }).map((r) => r.height)).toEqual([1080, 720, 480, 360]);
    expect(planLadder({ width: 3840, height: 2160 }).map((r) => r.height)).toEqual([2160, 1440, 1080, 720, 480, 360]);
    expect(planLadder({ width: 1280, height: 720 }).map((r) => r.height)).toEqual([720, 480, 360]);
  });
  it('keeps the aspect ratio with even widths', () => {
    const r = planLadder({ width: 1920, height: 1080 });
    expect(r.map((x) => x.width)).toEqual([1920, 1280, 854, 640]);
    expect(planLadder({ width: 1080, height: 1920 })[0]).toMatchObject({ height: 1440, width: 810 });
  });
  it('gives a tiny source one rung at its own size', () => {
    expect(planLadder({ width: 320, height: 241 })).toEqual([expect.objectContaining({ name: 'v0', height: 240, width: 318 })]);
  });
});

describe('avcCodec', () => {
  it('encodes profile main and the level', () => {
    expect(avcCodec('4.0')).toBe('avc1.4d4028');
    expect(avcCodec('3.1')).toBe('avc1.4d401f');
    expect(avcCodec('5.1')).toBe('avc1.4d4033');
  });
});

describe('buildLadderCommand', () => {
  const rungs = planLadder({ width: 1920, height: 1080 });
  const cmd = buildLadderCommand({
    input: '/in/src.bin',
    outDir: '/out',
    rungs,
    hasAudio: true,
    keyInfoFiles: rungs.map((r) => `/keys/${r.name}.keyinfo`),
    fps: 30,
    poster: { path: '/out/poster.jpg', atS: 2, width: 1280, height: 720 },
    storyboard: { path: '/out/storyboard.jpg', plan: planStoryboard(60, { width: 1920, height: 1080 }) },
  });
  const args = ladderArgs(cmd);

  it('is one process with a single input and one split for every output', () => {
    expect(args.filter((a) => a === '-i')).toHaveLength(1);
    expect(cmd.filterComplex.startsWith('[0:v:0]split=6[s0][s1][s2][s3][s4][s5];')).toBe(true);
    expect(cmd.outputs.map((o) => o.target)).toEqual([
      '/out/v0/index.m3u8',
      '/out/v1/index.m3u8',
      '/out/v2/index.m3u8',
      '/out/v3/index.m3u8',
      '/out/poster.jpg',
      '/out/storyboard.jpg',
    ]);
  });
  it('gives every rung its own key info file, HLS VOD options and aligned keyframes', () => {
    rungs.forEach((r, i) => {
      const o = cmd.outputs[i]!.options;
      const val = (flag: string) => o[o.indexOf(flag) + 1];
      expect(val('-hls_key_info_file')).toBe(`/keys/${r.name}.keyinfo`);
      expect(val('-f')).toBe('hls');
      expect(val('-hls_time')).toBe('4');
      expect(val('-hls_playlist_type')).toBe('vod');
      expect(val('-force_key_frames')).toBe('expr:gte(t,n_forced*4)');
      expect(val('-g')).toBe('120');
      expect(val('-sc_threshold')).toBe('0');
      expect(val('-b:v')).toBe(`${r.videoKbps}k`);
      expect(val('-level:v')).toBe(r.level);
      expect(o.filter((x) => x === '-map')).toHaveLength(2);
      expect(val('-hls_segment_filename')).toBe(`/out/${r.name}/seg_%03d.ts`);
    });
  });
  it('passes each flag and value as separate items (no shell)', () => {
    expect(args.every((a) => !a.includes(' '))).toBe(true);
  });
  it('omits audio maps without audio and refuses mismatched key files', () => {
    const silent = buildLadderCommand({ input: 'i', outDir: '/o', rungs, hasAudio: false, keyInfoFiles: rungs.map(() => 'k') });
    expect(silent.outputs[0]!.options).not.toContain('0:a:0');
    expect(silent.outputs[0]!.options).not.toContain('-g');
    expect(() => buildLadderCommand({ input: 'i', outDir: '/o', rungs, hasAudio: false, keyInfoFiles: [] })).toThrow();
  });
});

describe('playlists and storyboard', () => {
  it('writes a master playlist with BANDWIDTH, AVERAGE-BANDWIDTH, RESOLUTION and CODECS', () => {
    const [r] = planLadder({ width: 1920, height: 1080 });
    const m = masterPlaylist([{ rung: r!, bandwidth: 5_400_000, averageBandwidth: 5_000_000 }], true);
    expect(m).toContain(
      '#EXT-X-STREAM-INF:BANDWIDTH=5400000,AVERAGE-BANDWIDTH=5000000,RESOLUTION=1920x1080,CODECS="avc1.4d4028,mp4a.40.2"\nv0/index.m3u8',
    );
  });
  it('measures peak and average bandwidth from segments', () => {
    expect(measureBandwidth([{ bytes: 1000, duration: 4 }, { bytes: 1000, duration: 1 }])).toEqual({ peak: 8000, average: 3200 });
  });
  it('parses segment lines from a variant playlist', () => {
    const pl = '#EXTM3U\n#EXT-X-KEY:METHOD=AES-128,URI="key"\n#EXTINF:4.000000,\nseg_000.ts\n#EXTINF:1.5,\nseg_001.ts\n#EXT-X-ENDLIST\n';
    expect(parseSegments(pl)).toEqual([{ uri: 'seg_000.ts', duration: 4 }, { uri: 'seg_001.ts', duration: 1.5 }]);
  });
  it('lays the storyboard out as a sprite grid with xywh cues', () => {
    const plan = planStoryboard(250, { width: 1920, height: 1080 });
    expect(plan).toMatchObject({ interval: 3, count: 84, cols: 10, rows: 9, tileW: 160, tileH: 90 });
    const vtt = storyboardVtt(plan, 250);
    expect(vtt.startsWith('WEBVTT\n')).toBe(true);
    expect(vtt).toContain('00:00:03.000 --> 00:00:06.000\nstoryboard.jpg#xywh=160,0,160,90');
    expect(vtt).toContain('storyboard.jpg#xywh=0,90,160,90');
  });
});
