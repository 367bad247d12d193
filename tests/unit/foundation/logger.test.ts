// A failure that repeats every second (the worker's poll tick while PostgreSQL is down) is logged
// once per minute with a count, not once per tick; different messages or errors and info lines are not held.
import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { logger } from '../../../lib/logger';

let lines: string[] = [];

beforeEach(() => {
  vi.useFakeTimers();
  lines = [];
  vi.spyOn(console, 'error').mockImplementation((l: string) => void lines.push(l));
  vi.spyOn(console, 'log').mockImplementation((l: string) => void lines.push(l));
});
afterEach(() => {
  vi.advanceTimersByTime(10 * 60_000); // let any held summary out before the next test
  vi.restoreAllMocks();
  vi.useRealTimers();
});

test('an error repeated every second for 3 minutes → one line per minute, each with the count held back', () => {
  for (let s = 0; s < 180; s++) {
    logger.error('server poll tick failed', { error: `connection refused (${s})`, stack: 'Error: at …' });
    vi.advanceTimersByTime(1_000);
  }
  vi.advanceTimersByTime(60_000);
  const polls = lines.filter((l) => l.includes('server poll tick failed'));
  // First occurrence at once, then one summary per minute: 0 s, 60 s, 120 s, 180 s.
  expect(polls.length).toBe(4);
  expect(polls[0]).toContain('connection refused (0)');
  expect(polls[0]).not.toContain('repeated');
  const counts = polls.slice(1).map((l) => Number(/"repeated":(\d+)/.exec(l)?.[1]));
  expect(counts.reduce((a, b) => a + b, 0)).toBe(179); // every occurrence is accounted for
  for (const c of counts) expect(c).toBeGreaterThanOrEqual(59);
  expect(polls.at(-1)).toContain('connection refused (179)'); // the summary carries the latest detail
});

test('distinct messages are not held back by each other, and info lines are never held', () => {
  logger.error('pg-boss error', { error: 'a' });
  logger.warn('heartbeat send failed', { error: 'b' });
  logger.error('pg-boss error', { error: 'a' });
  for (let i = 0; i < 5; i++) logger.info('worker started', { pid: i });
  expect(lines.filter((l) => l.includes('pg-boss error'))).toHaveLength(1);
  expect(lines.filter((l) => l.includes('heartbeat send failed'))).toHaveLength(1);
  expect(lines.filter((l) => l.includes('worker started'))).toHaveLength(5);
});

test('a different error under the same message is written when it happens', () => {
  logger.error('unhandled error in route', { error: 'Cannot read properties of undefined' });
  logger.error('unhandled error in route', { error: 'Cannot read properties of undefined' });
  logger.error('unhandled error in route', { error: 'connect ETIMEDOUT' });
  expect(lines.filter((l) => l.includes('unhandled error in route'))).toHaveLength(2);
  expect(lines.at(-1)).toContain('ETIMEDOUT');
});

test('after a quiet minute the same error is logged at once again', () => {
  logger.error('server poll tick failed', { error: 'x' });
  vi.advanceTimersByTime(61_000);
  logger.error('server poll tick failed', { error: 'y' });
  expect(lines.filter((l) => l.includes('server poll tick failed'))).toHaveLength(2);
  expect(lines.at(-1)).not.toContain('repeated');
});
