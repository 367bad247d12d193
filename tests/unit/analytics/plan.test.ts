// Which parts of a range the rollups answer, and how a query's range is resolved.
import { describe, expect, test } from 'vitest';
import { planRange, wholeHourOffsets, HOUR_MS } from '@/lib/analytics/plan';
import { resolveAnalyticsQuery } from '@/lib/analytics/query';
import { offsetMinutes } from '@/lib/tracker/day-buckets';
import { AppError } from '@/lib/http/errors';
import type { UserActor } from '@/lib/auth/actor';

const t = (iso: string) => Date.parse(iso);
const iv = (a: string, b: string) => [t(a), t(b)];

describe('planRange', () => {
  test('nothing is rolled up before the first build', () => {
    const p = planRange(t('2026-01-01T00:00:00Z'), t('2026-03-01T00:00:00Z'), ['month', 'day'], null, []);
    expect(p.raw).toEqual([iv('2026-01-01T00:00:00Z', '2026-03-01T00:00:00Z')]);
    expect(p.covered.month).toEqual([]);
  });

  test('whole months, then whole days, then raw ragged ends', () => {
    const p = planRange(t('2026-01-30T10:30:00Z'), t('2026-04-02T05:15:00Z'), ['month', 'day'], t('2026-06-01T00:00:00Z'), []);
    expect(p.covered.month).toEqual([iv('2026-02-01T00:00:00Z', '2026-04-01T00:00:00Z')]);
    expect(p.covered.day).toEqual([iv('2026-01-31T00:00:00Z', '2026-02-01T00:00:00Z'), iv('2026-04-01T00:00:00Z', '2026-04-02T00:00:00Z')]);
    expect(p.raw).toEqual([iv('2026-01-30T10:30:00Z', '2026-01-31T00:00:00Z'), iv('2026-04-02T00:00:00Z', '2026-04-02T05:15:00Z')]);
  });

  test('quarter-months (days 1-8, 9-16, 17-24, 25-end) between days and months', () => {
    const p = planRange(t('2026-01-07T00:00:00Z'), t('2026-04-19T00:00:00Z'), ['month', 'quarter', 'day'], t('2026-06-01T00:00:00Z'), []);
    expect(p.covered.day).toEqual([iv('2026-01-07T00:00:00Z', '2026-01-09T00:00:00Z'), iv('2026-04-17T00:00:00Z', '2026-04-19T00:00:00Z')]);
    expect(p.covered.quarter).toEqual([iv('2026-01-09T00:00:00Z', '2026-02-01T00:00:00Z'), iv('2026-04-01T00:00:00Z', '2026-04-17T00:00:00Z')]);
    expect(p.covered.month).toEqual([iv('2026-02-01T00:00:00Z', '2026-04-01T00:00:00Z')]);
    expect(p.raw).toEqual([]);
  });

  test('hours at or after the watermark, and dirty hours, are raw; their month and day are not used', () => {
    const dirty = [t('2026-02-10T13:00:00Z')];
    const p = planRange(t('2026-02-01T00:00:00Z'), t('2026-03-05T00:00:00Z'), ['month', 'day'], t('2026-03-03T07:00:00Z'), dirty);
    expect(p.covered.month).toEqual([]);
    expect(p.covered.day).toEqual([iv('2026-02-01T00:00:00Z', '2026-02-10T00:00:00Z'), iv('2026-02-11T00:00:00Z', '2026-03-03T00:00:00Z')]);
    expect(p.raw).toEqual([iv('2026-02-10T00:00:00Z', '2026-02-11T00:00:00Z'), iv('2026-03-03T00:00:00Z', '2026-03-05T00:00:00Z')]);
  });

  test('hourly rollups skip only the dirty hour', () => {
    const p = planRange(t('2026-02-10T11:20:00Z'), t('2026-02-10T16:00:00Z'), ['hour'], t('2026-03-01T00:00:00Z'), [t('2026-02-10T13:00:00Z')]);
    expect(p.covered.hour).toEqual([iv('2026-02-10T12:00:00Z', '2026-02-10T13:00:00Z'), iv('2026-02-10T14:00:00Z', '2026-02-10T16:00:00Z')]);
    expect(p.raw).toEqual([iv('2026-02-10T11:20:00Z', '2026-02-10T12:00:00Z'), iv('2026-02-10T13:00:00Z', '2026-02-10T14:00:00Z')]);
  });

  test('covered and raw parts tile the range exactly', () => {
    const from = t('2025-11-17T03:47:12.345Z');
    const to = t('2026-11-16T22:01:00.001Z');
    const p = planRange(from, to, ['month', 'day'], t('2026-11-16T20:00:00Z'), [t('2026-05-05T05:00:00Z'), t('2026-07-31T23:00:00Z')]);
    const all = [...p.covered.month, ...p.covered.day, ...p.raw].sort((a, b) => a[0] - b[0]);
    expect(all[0]![0]).toBe(from);
    expect(all[all.length - 1]![1]).toBe(to);
    for (let i = 1; i < all.length; i++) expect(all[i]![0]).toBe(all[i - 1]![1]);
  });
});

describe('wholeHourOffsets', () => {
  const year = [t('2026-01-01T00:00:00Z'), t('2027-01-01T00:00:00Z')] as const;
  test('New York (DST included) and UTC are whole hours, Kolkata and Kathmandu are not', () => {
    for (const tz of ['America/New_York', 'UTC', 'Europe/Paris']) expect(wholeHourOffsets(...year, (x) => offsetMinutes(x, tz))).toBe(true);
    for (const tz of ['Asia/Kolkata', 'Asia/Kathmandu']) expect(wholeHourOffsets(...year, (x) => offsetMinutes(x, tz))).toBe(false);
  });
});

describe('resolveAnalyticsQuery', () => {
  const actor = { kind: 'user', id: 'u', role: 'viewer', serverIds: [], mediaUsers: [], timezone: 'America/New_York' } as unknown as UserActor;
  const now = new Date('2026-03-10T12:00:00Z');

  test('defaults: 7 days to now, the actor’s timezone, 10 rows', () => {
    const q = resolveAnalyticsQuery(actor, {}, now);
    expect(q).toMatchObject({ key: '7d', tz: 'America/New_York', limit: 10, serverId: null });
    expect(q.to).toEqual(now);
    expect(now.getTime() - q.from.getTime()).toBe(7 * 86_400_000);
  });

  test('bare dates are local days; the spring-forward day has 23 hours', () => {
    const q = resolveAnalyticsQuery(actor, { from: '2026-03-08', to: '2026-03-08', range: '365d' }, now);
    expect(q.key).toBe('custom');
    expect(q.from.toISOString()).toBe('2026-03-08T05:00:00.000Z');
    expect(q.to.getTime() + 1 - q.from.getTime()).toBe(23 * HOUR_MS);
  });

  test('bad parameters throw 400 errors with their own codes', () => {
    const code = (raw: Record<string, unknown>) => {
      try {
        resolveAnalyticsQuery(actor, raw, now);
        return null;
      } catch (err) {
        return err instanceof AppError ? [err.code, err.status] : err;
      }
    };
    expect(code({ tz: 'Nowhere/Special' })).toEqual(['invalid_timezone', 400]);
    expect(code({ range: '3d' })).toEqual(['invalid_range', 400]);
    expect(code({ limit: '1000' })).toEqual(['invalid_limit', 400]);
    expect(code({ from: '2026-13-40' })).toEqual(['invalid_from', 400]);
    expect(code({ from: '2026-03-01', to: '2026-02-01' })).toEqual(['invalid_range', 400]);
    expect(code({ from: '2026-03-01', limit: '100', tz: 'UTC' })).toBeNull();
  });
});
