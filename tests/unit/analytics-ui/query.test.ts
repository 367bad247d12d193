// The analytics view's filters in the page URL and the API call.
import { describe, expect, test } from 'vitest';
import { analyticsApiPath, analyticsHref, parseAnalyticsParams } from '@/components/analytics/query';

describe('parseAnalyticsParams', () => {
  test('defaults to the last 7 days', () => {
    expect(parseAnalyticsParams(new URLSearchParams(''))).toEqual({ range: '7d' });
    expect(parseAnalyticsParams({ range: 'forever' })).toEqual({ range: '7d' });
  });

  test('reads a preset, the server and the timezone', () => {
    expect(parseAnalyticsParams(new URLSearchParams('range=30d&serverId=s1&tz=Europe/Paris'))).toEqual({ range: '30d', serverId: 's1', tz: 'Europe/Paris' });
    expect(parseAnalyticsParams({ range: ['365d', '24h'], serverId: '' })).toEqual({ range: '365d' });
  });

  test('a custom range needs two valid days (swapped when reversed) and wins over a preset', () => {
    expect(parseAnalyticsParams({ range: '30d', from: '2026-01-01', to: '2026-01-31' })).toEqual({ range: 'custom', from: '2026-01-01', to: '2026-01-31' });
    expect(parseAnalyticsParams({ from: '2026-02-01', to: '2026-01-01' })).toMatchObject({ from: '2026-01-01', to: '2026-02-01' });
    expect(parseAnalyticsParams({ from: '2026-01-01' })).toEqual({ range: '7d' });
    expect(parseAnalyticsParams({ from: '2026-13-01', to: '2026-13-02', range: '24h' })).toEqual({ range: '24h' });
  });
});

describe('URLs', () => {
  test('the page URL leaves out the default range; the API call always names it', () => {
    expect(analyticsHref({ range: '7d' })).toBe('/analytics');
    expect(analyticsApiPath({ range: '7d' })).toBe('/api/analytics?range=7d');
    expect(analyticsHref({ range: '30d', serverId: 'a b' })).toBe('/analytics?range=30d&serverId=a+b');
    expect(analyticsApiPath({ range: '30d', serverId: 's' }, 100)).toBe('/api/analytics?range=30d&serverId=s&limit=100');
  });

  test('a custom range is sent as from/to', () => {
    expect(analyticsHref({ range: 'custom', from: '2026-01-01', to: '2026-01-31', tz: 'UTC' })).toBe('/analytics?from=2026-01-01&to=2026-01-31&tz=UTC');
    expect(analyticsApiPath({ range: 'custom', from: '2026-01-01', to: '2026-01-31' })).toBe('/api/analytics?from=2026-01-01&to=2026-01-31');
  });

  test('a URL read back gives the same filters', () => {
    for (const p of [{ range: '24h' as const, serverId: 'x' }, { range: 'custom' as const, from: '2025-12-30', to: '2026-01-02' }]) {
      expect(parseAnalyticsParams(new URL(analyticsHref(p), 'http://x').searchParams)).toEqual(p);
    }
  });
});
