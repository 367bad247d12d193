import { describe, expect, test } from 'vitest';
import { isFourKDowngrade, matchingSessions, type SnapshotSession } from '@/lib/servers/rules';
import { backoffSeconds } from '@/lib/servers/poll';
import { playbackTransitions } from '@/lib/history';
import { displayTitle, formatKbps, formatMs } from '@/components/servers/format';
import { BANDWIDTH_WINDOW_MS, mergeBandwidth, type BandwidthPoint } from '@/lib/servers/bandwidth-window';
import { isPrivateAddress, normalizeResolutionLabel, resolutionFromSize } from '@/lib/media-servers/normalize';

const base: SnapshotSession = {
  sessionKey: 'k', mediaUserId: 'u1', mediaUser: 'alice', title: 'T', grandparentTitle: null, parentIndex: null, index: null,
  mediaType: 'movie', state: 'playing', progressMs: 0, durationMs: 1, player: null, platform: null, product: null, ipAddress: null,
  isLocal: true, decision: 'transcode', videoDecision: 'transcode', audioDecision: 'directstream', sourceResolution: '4K',
  streamResolution: '1080p', hdr: null, bandwidthKbps: 1, thumb: null, itemId: null, startedAt: new Date(0),
};

describe('rule matching', () => {
  test('4K downgrade: only a 4K source whose video is transcoded to a lower resolution', () => {
    expect(isFourKDowngrade(base)).toBe(true);
    expect(isFourKDowngrade({ ...base, streamResolution: '4K' })).toBe(false);
    expect(isFourKDowngrade({ ...base, videoDecision: 'directstream', streamResolution: '4K' })).toBe(false);
    expect(isFourKDowngrade({ ...base, sourceResolution: '1080p', streamResolution: '720p' })).toBe(false);
    expect(isFourKDowngrade({ ...base, videoDecision: 'directplay' })).toBe(false);
  });

  test('stream limit picks the newest sessions of a user over the limit', () => {
    const s = (key: string, user: string, t: number) => ({ ...base, sessionKey: key, mediaUserId: user, mediaUser: user, startedAt: new Date(t) });
    const sessions = [s('a', 'x', 3), s('b', 'x', 1), s('c', 'x', 2), s('d', 'y', 1)];
    expect(matchingSessions({ kind: 'stream_limit', maxStreams: 2 }, sessions).map((m) => m.sessionKey)).toEqual(['a']);
    expect(matchingSessions({ kind: 'stream_limit', maxStreams: 1 }, sessions).map((m) => m.sessionKey).sort()).toEqual(['a', 'c']);
    expect(matchingSessions({ kind: 'transcode_4k', maxStreams: 1 }, sessions)).toHaveLength(4);
  });

  test('backoff doubles per failure and is capped at 5 minutes', () => {
    expect([1, 2, 3, 4].map((f) => backoffSeconds(10, f))).toEqual([10, 20, 40, 80]);
    expect(backoffSeconds(10, 20)).toBe(300);
  });
});

describe('formatting', () => {
  test('episode titles read "Show — SxxEyy — Episode"', () => {
    expect(displayTitle({ mediaType: 'episode', title: 'Ozymandias', grandparentTitle: 'Breaking Bad', parentIndex: 5, index: 14 })).toBe('Breaking Bad — S05E14 — Ozymandias');
    expect(displayTitle({ mediaType: 'movie', title: 'Spirited Away', grandparentTitle: null, parentIndex: null, index: null })).toBe('Spirited Away');
    expect(formatKbps(8616)).toBe('8.6 Mbps');
    expect(formatKbps(990)).toBe('990 kbps');
    expect(formatMs(3_723_000)).toBe('1:02:03');
  });

  test('resolutions and LAN addresses', () => {
    expect(resolutionFromSize(3840, 1608)).toBe('4K');
    expect(resolutionFromSize(1920, 800)).toBe('1080p');
    expect(resolutionFromSize(1280, 544)).toBe('720p');
    expect(normalizeResolutionLabel('4k')).toBe('4K');
    expect(normalizeResolutionLabel('720')).toBe('720p');
    expect(normalizeResolutionLabel('sd')).toBe('SD');
    expect(['10.0.0.2', '172.20.1.1', '192.168.1.5', '::1', '::ffff:192.168.0.9', 'fd00::1'].every(isPrivateAddress)).toBe(true);
    expect(['203.0.113.24', '172.32.0.1', '8.8.8.8', null].some(isPrivateAddress)).toBe(false);
  });
});

describe('playback transitions', () => {
  test('start, pause, resume and stop between two snapshots', () => {
    const s = (key: string, state: 'playing' | 'paused') => ({ ...base, sessionKey: key, state });
    const at = new Date(0);
    const events = playbackTransitions(
      'srv',
      [{ sessionKey: 'a', data: s('a', 'playing') }, { sessionKey: 'b', data: s('b', 'paused') }, { sessionKey: 'c', data: s('c', 'playing') }, { sessionKey: 'd', data: s('d', 'playing') }],
      [{ sessionKey: 'a', session: s('a', 'paused') }, { sessionKey: 'b', session: s('b', 'playing') }, { sessionKey: 'd', session: s('d', 'playing') }, { sessionKey: 'e', session: s('e', 'playing') }],
      at,
    );
    expect(events.map((e) => `${e.sessionKey}:${e.kind}`)).toEqual(['a:pause', 'b:resume', 'e:start', 'c:stop']);
    expect(events.at(-1)!.data).toMatchObject({ reason: 'ended', mediaUser: 'alice' });
  });
});

describe('mergeBandwidth (the dashboard appends the samples of later live views)', () => {
  const point = (at: number, totalKbps = 1): BandwidthPoint => ({ at: new Date(at).toISOString(), totalKbps, lanKbps: totalKbps, wanKbps: 0, streams: 1 });
  const now = Date.parse('2026-11-23T12:00:00Z');
  const held = { a: [point(now - BANDWIDTH_WINDOW_MS - 1000), point(now - 20_000)], b: [point(now - 10_000)] };

  test('a full view replaces what the client holds', () => {
    const full = { c: [point(now)] };
    expect(mergeBandwidth(held, { bandwidth: full, bandwidthAppend: false, at: new Date(now).toISOString() })).toEqual(full);
  });

  test('a later view appends per server, keeps servers without new samples and drops what left the hour', () => {
    const merged = mergeBandwidth(held, { bandwidth: { a: [point(now, 5)], c: [point(now, 7)] }, bandwidthAppend: true, at: new Date(now).toISOString() });
    expect(merged).toEqual({ a: [point(now - 20_000), point(now, 5)], b: [point(now - 10_000)], c: [point(now, 7)] });
  });
});
