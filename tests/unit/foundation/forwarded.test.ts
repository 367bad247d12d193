import { expect, test } from 'vitest';
import { rewriteForwardedHeaders } from '../../../lib/http/forwarded';

test('without TRUST_PROXY a client cannot choose its IP: X-Forwarded-For becomes the socket address', () => {
  const h: Record<string, string | string[] | undefined> = {
    'x-forwarded-for': '1.2.3.4',
    'x-real-ip': '5.6.7.8',
    'x-forwarded-proto': 'https',
    'x-forwarded-host': 'evil.example',
  };
  rewriteForwardedHeaders(h, '::ffff:203.0.113.7', false);
  expect(h).toEqual({ 'x-forwarded-for': '203.0.113.7' });
});

test('with TRUST_PROXY (one reverse proxy) the client is the entry the proxy appended, not what the client claimed', () => {
  // nginx: X-Forwarded-For = "<what the client sent>, <the address nginx saw>"
  const h: Record<string, string | string[] | undefined> = { 'x-forwarded-for': '6.6.6.6, 198.51.100.2', 'x-forwarded-proto': 'https' };
  rewriteForwardedHeaders(h, '10.0.0.5', true);
  expect(h).toEqual({ 'x-forwarded-for': '198.51.100.2', 'x-forwarded-proto': 'https' });
  const single: Record<string, string | string[] | undefined> = { 'x-forwarded-for': '198.51.100.3' };
  rewriteForwardedHeaders(single, '10.0.0.5', true);
  expect(single).toEqual({ 'x-forwarded-for': '198.51.100.3' });
  // A request that reached Marquee directly (no header) is the socket's.
  const direct: Record<string, string | string[] | undefined> = {};
  rewriteForwardedHeaders(direct, '10.0.0.9', true);
  expect(direct).toEqual({ 'x-forwarded-for': '10.0.0.9' });
});
