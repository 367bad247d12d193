// Tautulli's formats as history, home stats and graphs send them: human durations (helpers.py
// human_duration, Python's rounding included), the most-concurrent sweep (datafactory.py
// calc_most_concurrent), date and month categories (graphs.py), platform icon names, watched status.
import { describe, expect, test } from 'vitest';
import { decisionWord, fullTitle, humanDuration, mostConcurrent } from '@/lib/tautulli-api/plays';
import { lastDays, lastMonths, todayIn } from '@/lib/tautulli-api/commands/graphs';
import { platformName } from '@/lib/tautulli-api/commands/stats';
import { watchedStatus } from '@/lib/tautulli-api/commands/history';

describe('humanDuration', () => {
  // Expected values printed by Tautulli's own helpers.human_duration(v, units='s').
  test.each([
    [0, '0'], [1, '1 sec'], [59, '59 secs'], [60, '1 min'], [61, '1 min 1 sec'], [3600, '1 hr'], [3661, '1 hr 1 min 1 sec'],
    [36720, '10 hrs 12 mins'], [26800, '7 hrs 26 mins 40 secs'], [86400, '1 day'], [90061, '1 day 1 hr 1 min 1 sec'],
    [299999, '3 days 11 hrs 19 mins 59 secs'], [300000, '3 days 11 hrs 20 mins'], [300029, '3 days 11 hrs 20 mins'],
    [300030, '3 days 11 hrs 20 mins'], [3650000, '42 days 5 hrs 53 mins'], [1000000, '11 days 13 hrs 47 mins'],
  ])('%i s → %s', (s, text) => {
    expect(humanDuration(s)).toBe(text);
  });
});

describe('mostConcurrent', () => {
  test('overlaps count; a stop and a start in the same second do not', () => {
    const r = mostConcurrent('Concurrent Streams', [
      { started: 100, stopped: 200 },
      { started: 150, stopped: 300 },
      { started: 300, stopped: 400 },
      { started: 160, stopped: 170 },
    ]);
    expect(r).toEqual({ title: 'Concurrent Streams', count: 3, started: '160', stopped: '170' });
    expect(mostConcurrent('x', [{ started: 1, stopped: 2 }, { started: 2, stopped: 3 }]).count).toBe(1);
    expect(mostConcurrent('x', [])).toEqual({ title: 'x', count: 0, started: null, stopped: null });
  });
});

describe('categories', () => {
  test('the last n days and months, oldest first, across year ends', () => {
    expect(lastDays('2026-01-02', 4)).toEqual(['2025-12-30', '2025-12-31', '2026-01-01', '2026-01-02']);
    expect(lastMonths('2026-02-15', 3)).toEqual(['2025-12', '2026-01', '2026-02']);
  });

  test("today is the timezone's date", () => {
    const at = new Date('2026-03-01T23:30:00Z');
    expect(todayIn('UTC', at)).toBe('2026-03-01');
    expect(todayIn('Asia/Tokyo', at)).toBe('2026-03-02');
    expect(todayIn('America/Los_Angeles', at)).toBe('2026-03-01');
  });
});

describe('row words', () => {
  test('platform icon names as common.PLATFORM_NAMES picks them (longest-sorted keys first)', () => {
    expect(platformName('Android')).toBe('android');
    expect(platformName('Windows Phone')).toBe('wp');
    expect(platformName('Chromecast')).toBe('chromecast');
    expect(platformName('tvOS')).toBe('atv');
    expect(platformName('Something')).toBe('default');
  });

  test('decisions, full titles, watched status', () => {
    expect([decisionWord('directplay'), decisionWord('directstream'), decisionWord('transcode'), decisionWord(null)]).toEqual(['direct play', 'copy', 'transcode', '']);
    expect(fullTitle({ mediaType: 'episode', title: 'Felina', grandparentTitle: 'Breaking Bad' })).toBe('Breaking Bad - Felina');
    expect(fullTitle({ mediaType: 'track', title: 'Song', grandparentTitle: 'Band' })).toBe('Song - Band');
    expect(fullTitle({ mediaType: 'movie', title: 'Heat', grandparentTitle: null })).toBe('Heat');
    const w = (pct: number, completed = false) => watchedStatus({ completed, mediaType: 'movie' }, pct, 90);
    expect([w(10), w(23), w(45), w(70), w(80, true)]).toEqual([0, 0.25, 0.5, 0.75, 1]);
  });
});
