// CSRF, 429 with Retry-After through a real route under both limiter backends, and the security
// headers the proxy puts on pages and API responses.
import { afterAll, describe, expect, test } from 'vitest';
import { NextRequest } from 'next/server';
import Redis from 'ioredis';
import RedisMock from 'ioredis-mock';
import { setRateLimitStore } from '../../lib/rate-limit';
import { POST as createToken } from '../../app/api/tokens/route';
import { PATCH as patchAccount } from '../../app/api/account/route';
import { proxy } from '../../proxy';
import { apiToken, authHeaders, createUser, req, sessionCookie } from '../helpers/auth';

const noCtx = { params: Promise.resolve({}) } as never;

afterAll(() => setRateLimitStore(null));

describe('CSRF', () => {
  test('a cross-origin cookie-authenticated POST is refused; same-origin and Bearer pass', async () => {
    const user = await createUser({ role: 'viewer' });
    const cookie = await sessionCookie(user);
    const body = JSON.stringify({ timezone: 'Europe/Berlin' });
    const cross = await patchAccount(req('/api/account', { method: 'PATCH', body, headers: { cookie, origin: 'https://evil.example', host: 'localhost:3000' } }), noCtx);
    expect(cross.status).toBe(403);
    expect((await cross.json()).error.code).toBe('csrf_failed');
    const site = await patchAccount(req('/api/account', { method: 'PATCH', body, headers: { cookie, 'sec-fetch-site': 'cross-site' } }), noCtx);
    expect(site.status).toBe(403);

    const same = await patchAccount(req('/api/account', { method: 'PATCH', body, headers: { cookie, origin: 'http://localhost:3000', host: 'localhost:3000' } }), noCtx);
    expect(same.status).toBe(200);
    const token = await apiToken(user);
    const bearer = await patchAccount(req('/api/account', { method: 'PATCH', body, headers: { authorization: `Bearer ${token}`, origin: 'https://evil.example' } }), noCtx);
    expect(bearer.status).toBe(200);
  });
});

// The real Redis backend runs when REDIS_URL is set (.ci/run's production-shape pass sets it).
const redisUrl = process.env.REDIS_URL;
const backends: [string, () => unknown][] = [
  ['in-process memory', () => null],
  ['Redis (ioredis-mock)', () => new RedisMock()],
  ...(redisUrl ? [[`Redis (${redisUrl})`, () => new Redis(redisUrl, { maxRetriesPerRequest: 1 })] as [string, () => unknown]] : []),
];

describe.each(backends)('rate limit over %s', (_name, make) => {
  test('POST /api/tokens beyond the limit → 429 JSON with Retry-After', async () => {
    setRateLimitStore(make() as never);
    const user = await createUser({ role: 'viewer' });
    // A fresh browser sign-in: creating tokens needs one (an API token cannot mint tokens).
    const headers = await authHeaders(user);
    const send = () => createToken(req('/api/tokens', { method: 'POST', headers, body: JSON.stringify({ name: 'n' }) }), noCtx);
    for (let i = 0; i < 10; i++) expect((await send()).status).toBe(201);
    const limited = await send();
    expect(limited.status).toBe(429);
    const retry = Number(limited.headers.get('retry-after'));
    expect(retry).toBeGreaterThanOrEqual(1);
    expect(retry).toBeLessThanOrEqual(3600);
    expect((await limited.json()).error.code).toBe('rate_limited');
  });
});

describe('security headers (proxy)', () => {
  const expectHeaders = (h: Headers) => {
    const csp = h.get('content-security-policy')!;
    expect(csp).toMatch(/script-src [^;]*'nonce-[A-Za-z0-9+/=]+'/);
    expect(csp.split('; ').find((d) => d.startsWith('script-src'))).not.toContain('unsafe-inline');
    expect(csp).toContain("frame-ancestors 'none'");
    expect(h.get('x-content-type-options')).toBe('nosniff');
    expect(h.get('x-frame-options')).toBe('DENY');
    expect(h.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
    expect(h.get('permissions-policy')).toContain('camera=()');
  };

  test('on a page (and its sign-in redirect) and on an API response; HSTS only over HTTPS', () => {
    const page = proxy(new NextRequest('http://localhost:3000/login'));
    expectHeaders(page.headers);
    expect(page.headers.get('strict-transport-security')).toBeNull();
    expect(page.headers.get('x-middleware-request-x-nonce')).toBeTruthy();

    const redirect = proxy(new NextRequest('http://localhost:3000/admin/users'));
    expect(redirect.status).toBe(307);
    expectHeaders(redirect.headers);

    const api = proxy(new NextRequest('http://localhost:3000/api/health'));
    expect(api.status).toBe(200);
    expectHeaders(api.headers);

    const https = proxy(new NextRequest('http://internal:3000/api/health', { headers: { 'x-forwarded-proto': 'https' } }));
    expect(https.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
  });
});
