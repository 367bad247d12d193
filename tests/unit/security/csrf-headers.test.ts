import { describe, expect, test } from 'vitest';
import { assertSameOrigin, isSameOriginRequest } from '../../../lib/security/csrf';
import { buildCsp, generateNonce, securityHeaders } from '../../../lib/security/headers';

const post = (headers: Record<string, string>) => new Request('http://localhost:3000/api/tokens', { method: 'POST', headers });

describe('CSRF same-origin check', () => {
  test('same-origin fetch metadata and matching Origin pass', () => {
    expect(isSameOriginRequest(post({ 'sec-fetch-site': 'same-origin' }))).toBe(true);
    expect(isSameOriginRequest(post({ origin: 'http://localhost:3000', host: 'localhost:3000' }))).toBe(true);
    expect(isSameOriginRequest(post({ origin: 'https://marquee.example', host: 'internal:3000' }), 'https://marquee.example')).toBe(true);
  });

  test('cross-site requests are refused with csrf_failed', () => {
    expect(isSameOriginRequest(post({ 'sec-fetch-site': 'cross-site', origin: 'http://localhost:3000' }))).toBe(false);
    expect(isSameOriginRequest(post({ origin: 'https://evil.example', host: 'localhost:3000' }))).toBe(false);
    expect(isSameOriginRequest(post({ referer: 'https://evil.example/page', host: 'localhost:3000' }))).toBe(false);
    expect(() => assertSameOrigin(post({ origin: 'https://evil.example' }))).toThrow(expect.objectContaining({ code: 'csrf_failed', status: 403 }));
  });

  test('safe methods are never blocked', () => {
    expect(() => assertSameOrigin(new Request('http://localhost:3000/api/x', { headers: { origin: 'https://evil.example' } }))).not.toThrow();
  });
});

describe('security headers', () => {
  test('the CSP uses a nonce, no unsafe-inline scripts, and forbids framing', () => {
    const nonce = generateNonce();
    const csp = buildCsp(nonce);
    const script = csp.split('; ').find((d) => d.startsWith('script-src'))!;
    expect(script).toContain(`'nonce-${nonce}'`);
    expect(script).not.toContain('unsafe-inline');
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(generateNonce()).not.toBe(nonce);
  });

  test('HSTS only over HTTPS; the rest always', () => {
    const plain = securityHeaders({ nonce: 'n', https: false });
    expect(plain['x-content-type-options']).toBe('nosniff');
    expect(plain['x-frame-options']).toBe('DENY');
    expect(plain['referrer-policy']).toBeTruthy();
    expect(plain['permissions-policy']).toContain('camera=()');
    expect(plain['strict-transport-security']).toBeUndefined();
    expect(securityHeaders({ nonce: 'n', https: true })['strict-transport-security']).toMatch(/max-age=\d+/);
  });
});
