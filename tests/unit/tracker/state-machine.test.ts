import { describe, expect, test } from 'vitest';
import { applyTrackerEvent, describeState, formatHhmmss, formatMmss } from '../../../lib/tracker/state-machine';
import { summarizeItems } from '../../../lib/tracker/summary';
import { replay, T0 } from './timeline';

describe('tracker state machine (scripted timelines)', () => {
  test('NEXT, NEXT, PAUSE 30 s, PAUSE, NEXT, UNDO, EXIT gives exact raw/active seconds per item', () => {
    const r = replay([
      [0, 'NEXT'], // session starts, item 1 opens
      [60, 'NEXT'], // item 1: 60 s raw, 60 s active; item 2 opens
      [90, 'PAUSE'],
      [120, 'PAUSE'], // 30 s paused
      [180, 'NEXT'], // item 2: 120 s raw, 90 s active; item 3 opens
      [200, 'UNDO'], // item 2 removed and reopened from 60 s with its 30 s of pause
      [300, 'EXIT'], // item 2 again: 240 s raw, 210 s active
    ]);
    expect(r.answers.every((a) => a.ok)).toBe(true);
    expect(r.times).toEqual([
      [60, 60],
      [240, 210],
    ]);
    expect(r.state!.endedAt).toBe(T0 + 300_000);
    const answer = describeState('s1', r.state!);
    expect(answer).toMatchObject({ sessionId: 's1', items: 2, lastItemS: 210, lastItemMmss: '03:30', open: false });
  });

  test('the answers along the way report the closed items and the last active time', () => {
    const r = replay([
      [0, 'NEXT'],
      [75, 'NEXT'],
      [80, 'PAUSE'],
      [100, 'PAUSE'],
      [200, 'NEXT'],
      [210, 'UNDO'],
    ]);
    const states = r.answers.map((a) => (a.ok ? describeState('s', a.state) : null));
    expect(states.map((s) => s!.items)).toEqual([0, 1, 1, 1, 2, 1]);
    expect(states[1]).toMatchObject({ lastItemS: 75, lastItemMmss: '01:15' });
    expect(states[4]).toMatchObject({ lastItemS: 105, lastItemMmss: '01:45' }); // 125 raw − 20 paused
    expect(states[5]).toMatchObject({ lastItemS: 75, paused: false, pausedMs: 20_000, currentStartedAt: new Date(T0 + 75_000).toISOString() });
  });

  test('only NEXT starts a session: PAUSE, UNDO and EXIT without one → no_active_session', () => {
    for (const type of ['PAUSE', 'UNDO', 'EXIT'] as const) {
      const r = applyTrackerEvent(null, { type, at: T0 });
      expect(r).toMatchObject({ ok: false, code: 'no_active_session' });
    }
    const ended = replay([
      [0, 'NEXT'],
      [10, 'EXIT'],
    ]).state;
    expect(applyTrackerEvent(ended, { type: 'PAUSE', at: T0 + 20_000 })).toMatchObject({ ok: false, code: 'no_active_session' });
    const again = applyTrackerEvent(ended, { type: 'NEXT', at: T0 + 20_000 });
    expect(again).toMatchObject({ ok: true, newSession: true });
  });

  test('a pause still running at NEXT counts up to the NEXT; the new item starts unpaused', () => {
    const r = replay([
      [0, 'NEXT'],
      [10, 'PAUSE'],
      [70, 'NEXT'],
      [100, 'EXIT'],
    ]);
    expect(r.times).toEqual([
      [70, 10],
      [30, 30],
    ]);
  });

  test('a ghost item (double press) is kept in the list but left out of the summary', () => {
    const r = replay([
      [0, 'NEXT'],
      [300, 'NEXT'],
      [300.4, 'NEXT'], // pressed twice: a 0.4 s item
      [660, 'EXIT'],
    ]);
    expect(r.items.map((i) => i.activeMs)).toEqual([300_000, 400, 359_600]);
    const s = summarizeItems(r.items, 330);
    expect(s).toMatchObject({ items: 2, ghosts: 1, totalActiveS: 659.6, avgActiveS: 329.8, targetS: 330 });
    expect(s.paceScore).toBe(100.1);
  });

  test('a repeat of the last event (same type and time) changes nothing and answers the same', () => {
    const r = replay([
      [0, 'NEXT'],
      [60, 'NEXT'],
    ]);
    const dup = applyTrackerEvent(r.state, { type: 'NEXT', at: T0 + 60_000 }, null);
    expect(dup).toMatchObject({ ok: true, newSession: false, changes: [{ kind: 'unchanged' }] });
    expect(dup.ok && dup.state).toBe(r.state);
    expect(dup.ok && describeState('s', dup.state)).toEqual(describeState('s', r.state!));
    // An EXIT repeated after the session ended is still the same answer, not "no active session".
    const ended = replay([
      [0, 'NEXT'],
      [50, 'EXIT'],
    ]).state;
    expect(applyTrackerEvent(ended, { type: 'EXIT', at: T0 + 50_000 })).toMatchObject({ ok: true, changes: [{ kind: 'unchanged' }] });
  });

  test('an event older than the session’s last one → out_of_order; same time, other type is fine', () => {
    const r = replay([
      [0, 'NEXT'],
      [60, 'NEXT'],
    ]);
    expect(applyTrackerEvent(r.state, { type: 'PAUSE', at: T0 + 59_999 })).toMatchObject({ ok: false, code: 'out_of_order' });
    expect(applyTrackerEvent(r.state, { type: 'PAUSE', at: T0 + 60_000 })).toMatchObject({ ok: true });
    // After an EXIT, a NEXT from before it cannot open a session in the past.
    const ended = replay([
      [0, 'NEXT'],
      [60, 'EXIT'],
    ]).state;
    expect(applyTrackerEvent(ended, { type: 'NEXT', at: T0 + 30_000 })).toMatchObject({ ok: false, code: 'out_of_order' });
  });

  test('UNDO twice walks back two items; UNDO with nothing closed keeps the item running', () => {
    const r = replay([
      [0, 'NEXT'],
      [10, 'NEXT'],
      [30, 'NEXT'],
      [35, 'UNDO'],
      [36, 'UNDO'],
      [40, 'UNDO'], // nothing left to undo
      [100, 'EXIT'],
    ]);
    expect(r.times).toEqual([[100, 100]]);
  });

  test('MM:SS and HH:MM:SS strings', () => {
    expect(formatMmss(0)).toBe('00:00');
    expect(formatMmss(330)).toBe('05:30');
    expect(formatMmss(4500)).toBe('75:00');
    expect(formatHhmmss(3725)).toBe('01:02:05');
  });
});
