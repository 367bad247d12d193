// The launcher's supervision policy: restarts with a growing delay, gives up at the fifth crash
// within 10 minutes, and forgets crashes older than that.
import { expect, test } from 'vitest';
import { createRestartTracker } from '../../../lib/system/restart-policy';

const MIN = 60_000;

test('crashes 1–4 are restarted after 1, 2, 4, 8 s; the fifth within 10 minutes gives up', () => {
  let t = 0;
  const tracker = createRestartTracker(undefined, () => t);
  const delays: number[] = [];
  for (let i = 0; i < 4; i++) {
    const d = tracker.recordFailure();
    expect(d.giveUp).toBe(false);
    if (!d.giveUp) delays.push(d.delayMs);
    t += 2 * MIN;
  }
  expect(delays).toEqual([1_000, 2_000, 4_000, 8_000]);
  t = 9 * MIN + 59_000; // the fifth crash, 9 min 59 s after the first
  expect(tracker.recordFailure()).toEqual({ giveUp: true, failures: 5 });
});

test('crashes spread wider than 10 minutes never give up, and the delay falls back as old ones age out', () => {
  let t = 0;
  const tracker = createRestartTracker(undefined, () => t);
  for (let i = 0; i < 30; i++) {
    const d = tracker.recordFailure();
    expect(d.giveUp).toBe(false);
    t += 2.6 * MIN; // at most 4 crashes in any 10-minute window
  }
  t += 11 * MIN;
  expect(tracker.recentFailures()).toBe(0);
  expect(tracker.recordFailure()).toEqual({ giveUp: false, failures: 1, delayMs: 1_000 });
});

test('the delay never exceeds 30 s', () => {
  let t = 0;
  const tracker = createRestartTracker({ maxFailures: 100, windowMs: 10 * MIN, baseDelayMs: 1_000, maxDelayMs: 30_000 }, () => t);
  let last = 0;
  for (let i = 0; i < 20; i++) {
    const d = tracker.recordFailure();
    if (!d.giveUp) last = d.delayMs;
    t += 1_000;
  }
  expect(last).toBe(30_000);
});
