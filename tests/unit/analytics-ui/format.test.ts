// Numbers of the analytics view, the heatmap's colour scale and the dashboard's top items.
import { describe, expect, test } from 'vitest';
import { formatDay, formatHourSpan, formatPlays, formatRangeSpan, formatRate, formatWatchTime } from '@/components/analytics/format';
import { topItems } from '@/components/analytics/top-items';
import { formatLegendStep, heatLegend, heatLevel } from '@/components/charts/heatmap-scale';

describe('formatting', () => {
  test('watch time in hours and minutes', () => {
    expect(formatWatchTime(0)).toBe('0 m');
    expect(formatWatchTime(45)).toBe('< 1 m');
    expect(formatWatchTime(59 * 60 + 59)).toBe('59 m');
    expect(formatWatchTime(3725)).toBe('1 h 2 m');
    expect(formatWatchTime(4_500_000)).toBe('1,250 h 0 m');
  });

  test('rates as percentages, a dash when nothing was played', () => {
    expect(formatRate(0.41666, 12)).toBe('41.7 %');
    expect(formatRate(1, 3)).toBe('100 %');
    expect(formatRate(0, 3)).toBe('0 %');
    expect(formatRate(0, 0)).toBe('—');
  });

  test('plays, days and hours', () => {
    expect(formatPlays(1)).toBe('1 play');
    expect(formatPlays(1200)).toBe('1,200 plays');
    expect(formatDay('2026-03-08')).toBe('Mar 8');
    expect(formatDay('2026-03-08', true)).toBe('Mar 8, 2026');
    expect(formatHourSpan(23)).toBe('23:00–00:00');
  });

  test('a range is shown as the local days it covers, in its timezone', () => {
    expect(formatRangeSpan({ from: '2026-11-22T05:00:00Z', to: '2026-11-29T04:59:59.999Z', timezone: 'America/New_York' })).toBe('Nov 22, 2026 – Nov 28, 2026');
    expect(formatRangeSpan({ from: '2026-11-22T05:00:00Z', to: '2026-11-29T04:59:59.999Z', timezone: 'UTC' })).toBe('Nov 22, 2026 – Nov 29, 2026');
    expect(formatRangeSpan({ from: '2026-11-28T18:30:00Z', to: '2026-11-29T18:30:00Z', timezone: 'UTC' })).toBe('Nov 28, 2026 – Nov 29, 2026');
    expect(formatRangeSpan({ from: '2026-11-29T00:00:00Z', to: '2026-11-29T12:00:00Z', timezone: 'UTC' })).toBe('Nov 29, 2026');
  });
});

describe('heatmap scale', () => {
  test('nothing is level 0, the largest value the top level', () => {
    expect(heatLevel(0, 10)).toBe(0);
    expect(heatLevel(3, 0)).toBe(0);
    expect(heatLevel(10, 10)).toBe(5);
    expect(heatLevel(1, 10)).toBe(1);
    expect(heatLevel(6, 10)).toBe(3);
    expect(heatLevel(7, 10)).toBe(4);
  });

  test('the legend names the whole numbers of each level, skipping empty ones', () => {
    expect(heatLegend(10).map(formatLegendStep)).toEqual(['0', '1–2', '3–4', '5–6', '7–8', '9–10']);
    expect(heatLegend(3).map(formatLegendStep)).toEqual(['0', '1', '2', '3']);
    expect(heatLegend(0).map(formatLegendStep)).toEqual(['0']);
  });

  test('every count up to the maximum lands in the legend step of its level', () => {
    for (const max of [1, 2, 3, 7, 10, 13, 100, 997]) {
      const legend = heatLegend(max);
      for (let v = 0; v <= max; v++) {
        const step = legend.find((s) => v >= s.from && v <= s.to);
        expect(step?.level, `${v} of ${max}`).toBe(heatLevel(v, max));
      }
    }
  });
});

describe('dashboard top items', () => {
  test('movies and shows are ranked together by plays, then watch time, then name', () => {
    const movies = [{ name: 'M1', plays: 5, watchTimeS: 10 }, { name: 'M2', plays: 2, watchTimeS: 50 }];
    const shows = [{ name: 'S1', plays: 7, watchTimeS: 1 }, { name: 'S2', plays: 2, watchTimeS: 60 }, { name: 'S3', plays: 2, watchTimeS: 60 }];
    expect(topItems({ movies, shows }, 4).map((t) => `${t.kind}:${t.name}`)).toEqual(['shows:S1', 'movies:M1', 'shows:S2', 'shows:S3']);
    expect(topItems({ movies: [], shows: [] })).toEqual([]);
  });
});
