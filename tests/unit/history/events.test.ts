// The rules of playback history: when a play starts, pauses, resumes and stops, between two
// snapshots of a server's sessions.
import { describe, expect, test } from 'vitest';
import { playbackTransitions, stopEvent, transitionOf } from '@/lib/history';
import type { ProviderSession } from '@/lib/media-servers';

const session = (sessionKey: string, over: Partial<ProviderSession> = {}): ProviderSession => ({
  sessionKey, mediaUserId: 'u1', mediaUser: 'alice', title: 'Ozymandias', grandparentTitle: 'Breaking Bad', parentIndex: 5, index: 14,
  mediaType: 'episode', state: 'playing', progressMs: 60_000.4, durationMs: 2_838_000, player: 'TV', platform: null, product: null,
  ipAddress: '192.168.1.5', isLocal: true, decision: 'directplay', videoDecision: 'directplay', audioDecision: 'directplay',
  sourceResolution: '1080p', streamResolution: '1080p', hdr: null, bandwidthKbps: 8000, thumb: null, itemId: '7', ...over,
});
const at = new Date('2026-11-29T20:00:00Z');
const prev = (...s: ProviderSession[]) => s.map((x) => ({ sessionKey: x.sessionKey, data: x }));
const cur = (...s: ProviderSession[]) => s.map((x) => ({ sessionKey: x.sessionKey, session: x }));
const kinds = (events: { sessionKey: string; kind: string }[]) => events.map((e) => `${e.sessionKey}:${e.kind}`);

describe('a play starts', () => {
  test('a session not in the previous snapshot starts, carrying who, where it is and the session', () => {
    const s = session('a');
    const [event, ...rest] = playbackTransitions('srv', [], cur(s), at);
    expect(rest).toEqual([]);
    expect(event).toEqual({ serverId: 'srv', sessionKey: 'a', kind: 'start', at, mediaUser: 'alice', progressMs: 60_000, data: s });
  });

  test('a session that starts paused is a start, not a pause', () => {
    expect(kinds(playbackTransitions('srv', [], cur(session('a', { state: 'paused' })), at))).toEqual(['a:start']);
  });
});

describe('a play pauses and resumes', () => {
  test('playing → paused is a pause; paused → playing is a resume', () => {
    expect(kinds(playbackTransitions('srv', prev(session('a')), cur(session('a', { state: 'paused' })), at))).toEqual(['a:pause']);
    expect(kinds(playbackTransitions('srv', prev(session('a', { state: 'paused' })), cur(session('a')), at))).toEqual(['a:resume']);
  });

  test('buffering counts as playing: into or out of paused only', () => {
    expect(transitionOf(session('a'), session('a', { state: 'buffering' }))).toBeNull();
    expect(transitionOf(session('a', { state: 'buffering' }), session('a', { state: 'paused' }))).toBe('pause');
    expect(transitionOf(session('a', { state: 'paused' }), session('a', { state: 'buffering' }))).toBe('resume');
  });

  test('a play that goes on (progress, bandwidth, even a new transcode decision) is no event', () => {
    const moved = session('a', { progressMs: 90_000, bandwidthKbps: 3000, decision: 'transcode' });
    expect(playbackTransitions('srv', prev(session('a')), cur(moved), at)).toEqual([]);
    expect(playbackTransitions('srv', prev(session('a', { state: 'paused' })), cur(session('a', { state: 'paused', progressMs: 1 })), at)).toEqual([]);
  });
});

describe('a play stops', () => {
  test('a session no longer listed stops as it was last seen, reason "ended"', () => {
    const last = session('a', { progressMs: 1_234_567.6, state: 'paused' });
    const events = playbackTransitions('srv', prev(last, session('b')), cur(session('b')), at);
    expect(events).toEqual([{ serverId: 'srv', sessionKey: 'a', kind: 'stop', at, mediaUser: 'alice', progressMs: 1_234_568, data: { ...last, reason: 'ended' } }]);
  });

  test('stops of other kinds carry their reason', () => {
    for (const reason of ['terminated', 'rule', 'server_down', 'server_disabled'] as const) {
      expect(stopEvent('srv', 'a', session('a'), at, reason)).toMatchObject({ kind: 'stop', sessionKey: 'a', data: { reason, title: 'Ozymandias' } });
    }
    expect(stopEvent('srv', 'a', session('a', { mediaUser: null }), at, 'ended').mediaUser).toBeNull();
  });

  test('the current sessions come first, then the stops', () => {
    const events = playbackTransitions('srv', prev(session('gone'), session('a'), session('b', { state: 'paused' })), cur(session('a', { state: 'paused' }), session('b'), session('new')), at);
    expect(kinds(events)).toEqual(['a:pause', 'b:resume', 'new:start', 'gone:stop']);
  });
});

describe('a client reconnects', () => {
  test('under the same session key before the next poll: the same play, no event', () => {
    expect(playbackTransitions('srv', prev(session('a')), cur(session('a', { ipAddress: '192.168.1.9', player: 'Phone' })), at)).toEqual([]);
  });

  test('missing from one poll and back on the next: that play stopped and a new one starts', () => {
    const first = playbackTransitions('srv', prev(session('a')), cur(), at);
    const second = playbackTransitions('srv', prev(), cur(session('a')), new Date(at.getTime() + 10_000));
    expect([...kinds(first), ...kinds(second)]).toEqual(['a:stop', 'a:start']);
  });

  test('under a new session key: the old play stops, a new one starts', () => {
    expect(kinds(playbackTransitions('srv', prev(session('a')), cur(session('a2')), at))).toEqual(['a2:start', 'a:stop']);
  });
});
