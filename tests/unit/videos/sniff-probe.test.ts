import { describe, expect, it } from 'vitest';
import { sniffContainer } from '@/lib/videos/sniff';
import { parseProbeJson, ProbeError } from '@/lib/videos/probe';
import { assertSafeId } from '@/lib/videos/paths';

const bytes = (...parts: (string | number[])[]) =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))));

describe('sniffContainer', () => {
  it('recognizes containers by magic bytes', () => {
    expect(sniffContainer(bytes([0, 0, 0, 0x20], 'ftypisom', [0, 0, 2, 0]))).toBe('mp4');
    expect(sniffContainer(bytes([0, 0, 0, 0x14], 'ftypqt  ', [0, 0, 0, 0]))).toBe('mov');
    expect(sniffContainer(bytes([0x1a, 0x45, 0xdf, 0xa3, 0x9f, 0x42, 0x82, 0x84], 'webm', [0x42, 0x87]))).toBe('webm');
    expect(sniffContainer(bytes([0x1a, 0x45, 0xdf, 0xa3, 0xa3, 0x42, 0x82, 0x88], 'matroska'))).toBe('mkv');
    expect(sniffContainer(bytes('RIFF', [1, 2, 3, 4], 'AVI LIST'))).toBe('avi');
  });
  it('rejects executables, images and short input', () => {
    expect(sniffContainer(bytes('MZ', [0x90, 0, 3, 0, 0, 0, 4, 0, 0, 0, 0xff, 0xff]))).toBeNull();
    expect(sniffContainer(bytes([0x7f], 'ELF', [2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0]))).toBeNull();
    expect(sniffContainer(bytes([0x89], 'PNG', [13, 10, 26, 10, 0, 0, 0, 13]))).toBeNull();
    expect(sniffContainer(bytes('RIFF', [1, 2, 3, 4], 'WAVEfmt '))).toBeNull();
    expect(sniffContainer(bytes([0, 0]))).toBeNull();
  });
});

describe('parseProbeJson', () => {
  const json = (o: unknown) => JSON.stringify(o);
  it('extracts size, duration, fps and audio', () => {
    const r = parseProbeJson(
      json({
        streams: [
          { codec_type: 'video', codec_name: 'h264', width: 1920, height: 1080, avg_frame_rate: '30000/1001' },
          { codec_type: 'audio', codec_name: 'aac' },
        ],
        format: { format_name: 'mov,mp4,m4a,3gp,3g2,mj2', duration: '5.000000', bit_rate: '1000' },
      }),
    );
    expect(r).toMatchObject({ width: 1920, height: 1080, durationS: 5, fps: 29.97, hasAudio: true, audioCodec: 'aac', videoCodec: 'h264' });
  });
  it('swaps dimensions for rotated video', () => {
    const r = parseProbeJson(
      json({ streams: [{ codec_type: 'video', codec_name: 'h264', width: 1920, height: 1080, tags: { rotate: '90' } }], format: { duration: '2' } }),
    );
    expect(r).toMatchObject({ width: 1080, height: 1920, rotation: 90, hasAudio: false });
  });
  it('rejects files without a video stream or duration', () => {
    expect(() => parseProbeJson(json({ streams: [{ codec_type: 'audio' }], format: { duration: '3' } }))).toThrow(ProbeError);
    expect(() => parseProbeJson(json({ streams: [{ codec_type: 'video', width: 2, height: 2 }], format: {} }))).toThrow(/duration/);
    expect(() => parseProbeJson('not json')).toThrow(ProbeError);
  });
});

describe('assertSafeId', () => {
  it('accepts generated ids and refuses traversal', () => {
    expect(assertSafeId('clx9abc_12-Z')).toBe('clx9abc_12-Z');
    for (const bad of ['..', '../x', 'a/b', '%2e%2e', 'a\\b', '', 'a.b']) expect(() => assertSafeId(bad)).toThrow();
  });
});
