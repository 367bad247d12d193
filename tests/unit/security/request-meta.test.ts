// One reading of the client address for API routes, pages/server actions and next-auth's sign-in.
import { describe, expect, it } from 'vitest';
import { metaFromHeaders, requestMeta } from '@/lib/auth/session';

describe('request meta', () => {
  it('takes the first X-Forwarded-For entry (the client; the web server appends the socket address behind TRUST_PROXY)', () => {
    const req = new Request('http://x/api', { headers: { 'x-forwarded-for': ' 203.0.113.9 , 10.0.0.2', 'user-agent': 'curl/8' } });
    expect(requestMeta(req)).toEqual({ ip: '203.0.113.9', userAgent: 'curl/8' });
  });

  it('falls back to X-Real-IP, then to null, from any header source', () => {
    const plain: Record<string, string> = { 'x-real-ip': '198.51.100.4' };
    expect(metaFromHeaders((n) => plain[n])).toEqual({ ip: '198.51.100.4', userAgent: null });
    expect(requestMeta(new Request('http://x/api'))).toEqual({ ip: null, userAgent: null });
  });
});
