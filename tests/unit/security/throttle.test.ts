import { describe, expect, test } from 'vitest';
import { CLIENT_MAX_FAILURES, applyFailure, isLocked, lockoutDuration, type ThrottleState } from '../../../lib/auth/throttle';

// What the product promises, written out: 5 failures → 15 min, escalating (capped at a day).
const FIFTEEN_MIN = 15 * 60_000;
const ONE_DAY = 24 * 3600_000;

function fail(times: number, start: ThrottleState | null, now: Date) {
  let s = start;
  for (let i = 0; i < times; i++) s = applyFailure(s, now, CLIENT_MAX_FAILURES);
  return s!;
}

describe('throttle math', () => {
  const now = new Date('2026-01-01T12:00:00Z');

  test('4 failures do not lock, the 5th locks for 15 minutes', () => {
    expect(CLIENT_MAX_FAILURES).toBe(5);
    expect(isLocked(fail(4, null, now), now)).toBe(false);
    const s = fail(5, null, now);
    expect(s.lockedUntil!.getTime() - now.getTime()).toBe(FIFTEEN_MIN);
  });

  test('the lock expires, and repeat offenders get longer lockouts', () => {
    const first = fail(5, null, now);
    const later = new Date(now.getTime() + FIFTEEN_MIN + 1000);
    expect(isLocked(first, later)).toBe(false);
    const second = fail(5, first, later);
    expect(second.lockouts).toBe(2);
    expect(second.lockedUntil!.getTime() - later.getTime()).toBe(2 * FIFTEEN_MIN);
    expect(lockoutDuration(20)).toBe(ONE_DAY);
  });

  test('failures while locked do not extend the lock', () => {
    const s = fail(5, null, now);
    const again = applyFailure(s, new Date(now.getTime() + 60_000), CLIENT_MAX_FAILURES);
    expect(again.lockedUntil).toEqual(s.lockedUntil);
  });

  test('old failures stop counting and escalation resets after a quiet day', () => {
    const s = fail(4, null, now);
    const muchLater = new Date(now.getTime() + 30 * 60_000);
    expect(applyFailure(s, muchLater, CLIENT_MAX_FAILURES).failures).toBe(1);
    const locked = fail(5, null, now);
    const nextDay = new Date(now.getTime() + 25 * 3600_000);
    expect(fail(5, locked, nextDay).lockouts).toBe(1);
  });
});
