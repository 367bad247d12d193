import { afterAll, describe, expect, test } from 'vitest';
import Redis from 'ioredis';
import RedisMock from 'ioredis-mock';
import { randomBytes } from 'node:crypto';
import { enforceRateLimit, rateLimit, rateLimitBackend, setRateLimitStore } from '../../../lib/rate-limit';
import { toErrorResponse } from '../../../lib/http/respond';

// The real server runs when REDIS_URL is set (as in .ci/run's production-shape pass); Redis is
// optional for Marquee, so a fresh clone without it still passes `npm test`.
const redisUrl = process.env.REDIS_URL;
const real = redisUrl ? new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 }) : null;
afterAll(async () => {
  setRateLimitStore(null);
  await real?.quit();
});

const backends: [string, () => unknown][] = [
  ['memory', () => null],
  ['ioredis-mock', () => new RedisMock()],
  ...(real ? [['redis-server', () => real] as [string, () => unknown]] : []),
];

describe.each(backends)('rateLimit over %s', (name, make) => {
  test('allows `points` requests, then refuses with a Retry-After within the window', async () => {
    setRateLimitStore(make() as never);
    expect(rateLimitBackend()).toBe(name === 'memory' ? 'memory' : 'redis');
    const policy = { name: `t-${randomBytes(4).toString('hex')}`, points: 3, durationS: 60 };
    for (let i = 0; i < 3; i++) expect((await rateLimit('k', policy)).ok).toBe(true);
    const r = await rateLimit('k', policy);
    expect(r.ok).toBe(false);
    expect(r.retryAfterS).toBeGreaterThanOrEqual(1);
    expect(r.retryAfterS).toBeLessThanOrEqual(60);
    expect((await rateLimit('other-key', policy)).ok).toBe(true);
  });

  test('enforceRateLimit → 429 JSON with Retry-After', async () => {
    setRateLimitStore(make() as never);
    const policy = { name: `t-${randomBytes(4).toString('hex')}`, points: 1, durationS: 30 };
    await enforceRateLimit('k', policy);
    const err = await enforceRateLimit('k', policy).catch((e: unknown) => e);
    const res = toErrorResponse(err);
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await res.json()).error.code).toBe('rate_limited');
  });
});
