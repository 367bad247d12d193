// The play rules on scripted sequences: what one viewing is, however the events arrive.
import { describe, expect, test } from 'vitest';
import { applyPlayEvents, playEventFromPoll, type PlayEvent, type PlayState } from '@/lib/history';

const T0 = Date.parse('2026-03-01T20:00:00Z');
const at = (s: number) => new Date(T0 + s * 1000);
const rules = { continuationS: 300, completedPct: 90 };

function ev(kind: PlayEvent['kind'], s: number, over: Partial<PlayEvent> = {}): PlayEvent {
  return {
    kind, source: 'poll', at: at(s), serverId: 'srv', serverName: 'Plex', sessionKey: 'k1', itemKey: 'item-1', mediaUserId: 'u1', mediaUser: 'alice',
    title: 'Ozymandias', grandparentTitle: 'Breaking Bad', parentIndex: 5, index: 14, mediaType: 'episode', positionMs: s * 1000, durationMs: 3_000_000,
    decision: 'directplay', player: 'TV', platform: 'tvOS', product: 'Plex', ipAddress: '10.0.0.2', isLocal: true, library: null, stream: null, ...over,
  };
}

/** Runs events in batches (like successive poll cycles), carrying the plays between them. */
function run(...batches: PlayEvent[][]): PlayState[] {
  const plays = new Map<string, PlayState>();
  let n = 0;
  for (const batch of batches) {
    for (const p of applyPlayEvents([...plays.values()], batch, rules, () => `p${++n}`)) plays.set(p.id, p);
  }
  return [...plays.values()];
}

describe('play rules', () => {
  test('start → stop is one play; watched is the time between', () => {
    const [p, ...rest] = run([ev('start', 0)], [ev('stop', 600)]);
    expect(rest).toHaveLength(0);
    expect(p).toMatchObject({ startedAt: at(0), stoppedAt: at(600), pausedS: 0, watchedS: 600 });
  });

  test('pause 20 s then resume: pausedS 20, excluded from watched time', () => {
    const [p, ...rest] = run([ev('start', 0)], [ev('pause', 100)], [ev('resume', 120)], [ev('stop', 300)]);
    expect(rest).toHaveLength(0);
    expect(p!.pausedS).toBe(20);
    expect(p!.watchedS).toBe(280);
    expect(p!.detail.pauses).toEqual([{ at: at(100).toISOString(), s: 20 }]);
  });

  test('stopped while paused: the pause up to the stop is not watched', () => {
    const [p] = run([ev('start', 0)], [ev('pause', 100)], [ev('stop', 400)]);
    expect(p).toMatchObject({ pausedS: 300, watchedS: 100, pausedSince: null });
  });

  test('reconnect inside the window (new session key) continues the play; the gap counts as paused', () => {
    const plays = run([ev('start', 0)], [ev('stop', 600)], [ev('start', 720, { sessionKey: 'k2' })], [ev('stop', 1200, { sessionKey: 'k2' })]);
    expect(plays).toHaveLength(1);
    expect(plays[0]).toMatchObject({ startedAt: at(0), stoppedAt: at(1200), pausedS: 120, watchedS: 1080 });
  });

  test('restart outside the window is a new play', () => {
    const plays = run([ev('start', 0)], [ev('stop', 600)], [ev('start', 600 + 301, { sessionKey: 'k2' })]);
    expect(plays).toHaveLength(2);
  });

  test('another item or another user inside the window is a new play', () => {
    expect(run([ev('start', 0)], [ev('stop', 60)], [ev('start', 90, { itemKey: 'item-2', title: 'Granite State' })])).toHaveLength(2);
    expect(run([ev('start', 0)], [ev('stop', 60)], [ev('start', 90, { mediaUserId: 'u2', mediaUser: 'bob' })])).toHaveLength(2);
  });

  test('a poll gap (no events for a long time) neither splits nor doubles the play', () => {
    const plays = run([ev('start', 0)], [], [], [ev('stop', 7200)]);
    expect(plays).toHaveLength(1);
    expect(plays[0]!.watchedS).toBe(7200);
  });

  test('webhook beside polls: one play, whichever comes first; the second stop is a no-op', () => {
    const wh = (kind: PlayEvent['kind'], s: number) => ev(kind, s, { source: 'webhook', sessionKey: null, decision: null, ipAddress: null });
    const a = run([wh('start', 0)], [ev('start', 4)], [wh('pause', 50), ev('pause', 54)], [ev('resume', 80), wh('resume', 81)], [wh('stop', 300)], [ev('stop', 305)]);
    expect(a).toHaveLength(1);
    expect(a[0]).toMatchObject({ startedAt: at(0), stoppedAt: at(300), pausedS: 30, source: 'webhook', decision: 'directplay', ipAddress: '10.0.0.2' });
    const b = run([ev('start', 0)], [ev('start', 2, { source: 'webhook', sessionKey: null })], [ev('stop', 100)], [ev('stop', 102, { source: 'webhook', sessionKey: null })]);
    expect(b).toHaveLength(1);
    expect(b[0]).toMatchObject({ source: 'poll', stoppedAt: at(100) });
  });

  test('completed at ≥ 90 % of the duration, or when the sender says watched', () => {
    const [done] = run([ev('start', 0, { durationMs: 1_000_000 })], [ev('stop', 900, { positionMs: 900_000, durationMs: 1_000_000 })]);
    expect(done).toMatchObject({ progressPct: 90, completed: true });
    const [partial] = run([ev('start', 0, { durationMs: 1_000_000 })], [ev('stop', 899, { positionMs: 899_000, durationMs: 1_000_000 })]);
    expect(partial).toMatchObject({ completed: false });
    const [scrobbled] = run([ev('start', 0)], [ev('progress', 10, { source: 'webhook', sessionKey: null, watched: true })], [ev('stop', 20)]);
    expect(scrobbled!.completed).toBe(true);
  });

  test('a stop with nothing open (crash-left-open already closed) changes nothing', () => {
    expect(run([ev('stop', 10)])).toHaveLength(0);
  });
});

describe('poll events as play events', () => {
  const session = { sessionKey: 'k1', mediaUserId: 'u1', mediaUser: 'alice', title: 'Ozymandias', grandparentTitle: 'Breaking Bad', parentIndex: 5, index: 14, mediaType: 'episode', state: 'playing', progressMs: 1000, durationMs: 3_000_000, player: 'TV', platform: null, product: null, ipAddress: '10.0.0.2', isLocal: true, decision: 'directplay', videoDecision: null, audioDecision: null, sourceResolution: '1080p', streamResolution: '1080p', hdr: null, bandwidthKbps: 8000, thumb: null, itemId: 'item-1' };
  const row = (kind: 'start' | 'stop', s: number, over: object = {}) => ({ serverId: 'srv', sessionKey: 'k1', kind, at: at(s), mediaUser: 'alice', progressMs: 1000, data: { ...session, ...over } });

  test('a session that vanished after a polling gap (worker down) stops when it was last seen', () => {
    expect(playEventFromPoll(row('stop', 3600), 'Plex', { lastSeenAt: at(10), gapS: 30 }).at).toEqual(at(10));
    // No gap: the stop is this poll.
    expect(playEventFromPoll(row('stop', 20), 'Plex', { lastSeenAt: at(10), gapS: 30 }).at).toEqual(at(20));
  });

  test('a session first seen paused starts a paused play', () => {
    expect(playEventFromPoll(row('start', 0, { state: 'paused' }), 'Plex').kind).toBe('pause');
    // The session's library (Plex says it) is the play's library; a session without one leaves it null.
    expect(playEventFromPoll(row('start', 0, { library: 'TV Shows' }), 'Plex').library).toBe('TV Shows');
    expect(playEventFromPoll(row('start', 0), 'Plex').library).toBeNull();
    const [p] = applyPlayEvents([], [playEventFromPoll(row('start', 0, { state: 'paused' }), 'Plex')], rules);
    expect(p!.pausedSince).toEqual(at(0));
  });
});
