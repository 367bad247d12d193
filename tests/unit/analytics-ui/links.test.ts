// Where a click on the analytics view leads: the /history filter that lists exactly the plays counted.
import { describe, expect, test } from 'vitest';
import { dayHref, decisionHref, historyHref, topRowHref } from '@/components/analytics/links';
import { historyFilterSchema, rangeOf } from '@/lib/history/schemas';

const scope = { from: '2026-11-22T05:00:00.000Z', to: '2026-11-29T04:59:59.999Z' };
const paramsOf = (href: string) => Object.fromEntries(new URL(href, 'http://x').searchParams);

describe('top-list rows', () => {
  test('a user opens their history over the report range (both read `to` as inclusive)', () => {
    const href = topRowHref('users', 'alice & bob', scope)!;
    expect(href.startsWith('/history?')).toBe(true);
    expect(paramsOf(href)).toEqual({ mediaUser: 'alice & bob', from: scope.from, to: scope.to });
  });

  test('movies and shows search the title with their media type; libraries filter by library', () => {
    expect(paramsOf(topRowHref('movies', 'Spirited Away', scope)!)).toMatchObject({ q: 'Spirited Away', mediaType: 'movie' });
    expect(paramsOf(topRowHref('shows', 'Breaking Bad', scope)!)).toMatchObject({ q: 'Breaking Bad', mediaType: 'episode' });
    expect(paramsOf(topRowHref('libraries', 'Films', scope)!)).toMatchObject({ library: 'Films' });
  });

  test('the server filter is carried over', () => {
    expect(paramsOf(topRowHref('users', 'alice', { ...scope, serverId: 'srv-1' })!)).toMatchObject({ serverId: 'srv-1' });
    expect(paramsOf(topRowHref('users', 'alice', scope)!)).not.toHaveProperty('serverId');
  });

  test('lists history cannot filter on, and rows without a name, link nowhere', () => {
    for (const c of ['platforms', 'players', 'devices'] as const) expect(topRowHref(c, 'Chrome', scope)).toBeUndefined();
    expect(topRowHref('users', null, scope)).toBeUndefined();
  });

  test('every link passes the history filter schema with the names it uses', () => {
    for (const c of ['users', 'movies', 'shows', 'libraries'] as const) {
      const parsed = historyFilterSchema.strict().omit({ order: true }).safeParse(paramsOf(topRowHref(c, 'x', scope)!));
      expect(parsed.success, c).toBe(true);
    }
  });
});

describe('decisions', () => {
  test('a decision history knows links to it; others do not', () => {
    expect(paramsOf(decisionHref('transcode', scope)!)).toMatchObject({ decision: 'transcode' });
    expect(decisionHref('copy', scope)).toBeUndefined();
    expect(decisionHref(null, scope)).toBeUndefined();
  });
});

describe('a day of plays per day', () => {
  test('covers the local calendar day in the report timezone', () => {
    const p = paramsOf(dayHref('2026-11-29', 'America/New_York')!);
    expect(p).toEqual({ from: '2026-11-29T05:00:00.000Z', to: '2026-11-30T04:59:59.999Z' });
  });

  test('a spring-forward day is 23 hours long, a fall-back day 25', () => {
    const spring = paramsOf(dayHref('2026-03-08', 'America/New_York')!);
    expect(spring.from).toBe('2026-03-08T05:00:00.000Z');
    expect(Date.parse(spring.to!) + 1 - Date.parse(spring.from!)).toBe(23 * 3_600_000);
    const fall = paramsOf(dayHref('2026-11-01', 'America/New_York')!);
    expect(Date.parse(fall.to!) + 1 - Date.parse(fall.from!)).toBe(25 * 3_600_000);
  });

  test('history reads the link as the same span (its `to` includes its instant)', () => {
    const p = paramsOf(dayHref('2026-06-01', 'Europe/Paris', 'srv')!);
    const { from, to } = rangeOf(p);
    expect(from!.toISOString()).toBe('2026-05-31T22:00:00.000Z');
    expect(to!.getTime() - from!.getTime()).toBe(86_400_000 - 1);
    expect(p.serverId).toBe('srv');
  });

  test('a malformed day links nowhere; an unknown timezone falls back to UTC', () => {
    expect(dayHref('2026-02-30', 'UTC')).toBeUndefined();
    expect(paramsOf(dayHref('2026-02-03', 'Not/AZone')!).from).toBe('2026-02-03T00:00:00.000Z');
  });
});

test('historyHref leaves out empty filters', () => {
  expect(historyHref({})).toBe('/history');
  expect(historyHref({ mediaUser: 'a', q: '' })).toBe('/history?mediaUser=a');
});
