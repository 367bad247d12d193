import { describe, expect, test } from 'vitest';
import { bucketByHour, dayWindow, localDate } from '../../../lib/tracker/day-buckets';
import { combinePace, summarizeItems } from '../../../lib/tracker/summary';

const item = (iso: string, activeS: number) => ({ endedAt: Date.parse(iso), rawMs: activeS * 1000, activeMs: activeS * 1000 });

describe('tracker day in the user’s timezone', () => {
  test('an ordinary New York day has 24 hours from 05:00Z', () => {
    const w = dayWindow('2026-05-04', 'America/New_York')!;
    expect(w.hours).toHaveLength(24);
    expect(new Date(w.startMs).toISOString()).toBe('2026-05-04T04:00:00.000Z');
  });

  test('2026-03-08 in New York (spring forward) has 23 hours, 02:00 skipped', () => {
    const w = dayWindow('2026-03-08', 'America/New_York')!;
    expect(new Date(w.startMs).toISOString()).toBe('2026-03-08T05:00:00.000Z');
    expect(new Date(w.endMs).toISOString()).toBe('2026-03-09T04:00:00.000Z');
    expect(w.hours).toHaveLength(23);
    expect(w.hours.map((h) => h.hour)).toEqual([0, 1, ...Array.from({ length: 21 }, (_, i) => i + 3)]);
    expect(w.hours[1]!.label).toBe('01:00 -05:00');
    expect(w.hours[2]!.label).toBe('03:00 -04:00');
    // 01:30 EST and 03:30 EDT are one real hour apart and land in neighbouring buckets.
    const b = bucketByHour(w, [item('2026-03-08T06:30:00Z', 100), item('2026-03-08T07:30:00Z', 200), item('2026-03-09T03:59:59Z', 50), item('2026-03-09T04:00:00Z', 999)]);
    expect(b[1]).toMatchObject({ hour: 1, items: 1, activeS: 100 });
    expect(b[2]).toMatchObject({ hour: 3, items: 1, activeS: 200 });
    expect(b[22]).toMatchObject({ hour: 23, items: 1, activeS: 50 });
    expect(b.reduce((a, h) => a + h.items, 0)).toBe(3); // the item at next midnight belongs to the 9th
  });

  test('2026-11-01 in New York (fall back) has 25 hours, 01:00 twice', () => {
    const w = dayWindow('2026-11-01', 'America/New_York')!;
    expect(new Date(w.startMs).toISOString()).toBe('2026-11-01T04:00:00.000Z');
    expect(new Date(w.endMs).toISOString()).toBe('2026-11-02T05:00:00.000Z');
    expect(w.hours).toHaveLength(25);
    expect(w.hours.slice(0, 4).map((h) => h.label)).toEqual(['00:00 -04:00', '01:00 -04:00', '01:00 -05:00', '02:00 -05:00']);
    // 01:15 EDT and 01:15 EST are different buckets.
    const b = bucketByHour(w, [item('2026-11-01T05:15:00Z', 60), item('2026-11-01T06:15:00Z', 120), item('2026-11-02T04:59:00Z', 30)]);
    expect(b[1]).toMatchObject({ hour: 1, items: 1, activeS: 60 });
    expect(b[2]).toMatchObject({ hour: 1, items: 1, activeS: 120 });
    expect(b[24]).toMatchObject({ hour: 23, items: 1, activeS: 30 });
  });

  test('Asia/Kolkata (+05:30): the day starts at 18:30Z the evening before', () => {
    const w = dayWindow('2026-03-08', 'Asia/Kolkata')!;
    expect(w.hours).toHaveLength(24);
    expect(new Date(w.startMs).toISOString()).toBe('2026-03-07T18:30:00.000Z');
    expect(w.hours[0]!.label).toBe('00:00 +05:30');
    const b = bucketByHour(w, [item('2026-03-07T18:29:59Z', 10), item('2026-03-07T18:30:00Z', 20), item('2026-03-08T04:00:00Z', 30)]);
    expect(b[0]).toMatchObject({ hour: 0, items: 1, activeS: 20 });
    expect(b[9]).toMatchObject({ hour: 9, items: 1, activeS: 30 }); // 09:30 IST
    expect(b.reduce((a, h) => a + h.items, 0)).toBe(2);
    expect(localDate(Date.parse('2026-03-07T18:30:00Z'), 'Asia/Kolkata')).toBe('2026-03-08');
  });

  test('a ghost item is counted apart in its hour, not as an item', () => {
    const w = dayWindow('2026-05-04', 'UTC')!;
    const b = bucketByHour(w, [item('2026-05-04T10:00:00Z', 0), item('2026-05-04T10:10:00Z', 300)]);
    expect(b[10]).toMatchObject({ items: 1, ghosts: 1, activeS: 300 });
  });

  test('invalid dates are refused', () => {
    expect(dayWindow('2026-02-30', 'UTC')).toBeNull();
    expect(dayWindow('2026-5-4', 'UTC')).toBeNull();
  });

  test('the daily pace weighs every item equally across sessions with different targets', () => {
    const a = summarizeItems([{ rawMs: 300_000, activeMs: 300_000 }], 330); // one item, 5:00
    const b = summarizeItems(
      [
        { rawMs: 600_000, activeMs: 600_000 },
        { rawMs: 600_000, activeMs: 600_000 },
        { rawMs: 600_000, activeMs: 600_000 },
      ],
      600,
    ); // three items, 10:00 each
    const day = combinePace([{ stats: a }, { stats: b }]);
    expect(day.items).toBe(4);
    expect(day.avgActiveS).toBe(525); // (300 + 1800) / 4, not the mean of the two averages (450)
    expect(day.targetS).toBe(532.5); // (330 + 3 × 600) / 4
    expect(day.paceScore).toBe(101.4);
  });
});
