// proxy.ts's matcher and the web server's list of streaming paths must agree: a streaming route the
// proxy still matched would be buffered (and truncated at 10 MB) again; a path the web server thought
// streaming but the proxy matched would get its headers twice. Also the percent-escape check.
import { expect, test } from 'vitest';
import { config } from '../../../proxy';
import { isDecodablePath, isStreamingPath } from '../../../lib/http/front-door';

// Next anchors each matcher source and matches it against the pathname.
const matcher = new RegExp(`^${config.matcher[0]}$`);
const proxied = (p: string) => matcher.test(p);

test('streaming routes are outside the proxy; everything else (JSON APIs, pages) is inside', () => {
  const streaming = ['/api/videos', '/api/videos/', '/api/videos/uploads/abc123', '/api/webhooks', '/api/webhooks/sonarr', '/api/webhooks/plex/srv1'];
  const proxiedPaths = [
    '/',
    '/login',
    '/library/abc',
    '/api/health',
    '/api/videos/abc123',
    '/api/videos/abc123/progress',
    '/api/videos/uploads',
    '/api/servers/abc',
    '/api/webhooksx',
    '/api/videosx',
  ];
  for (const p of streaming) {
    expect(isStreamingPath(p), p).toBe(true);
    expect(proxied(p), p).toBe(false);
  }
  for (const p of proxiedPaths) {
    expect(isStreamingPath(p), p).toBe(false);
    expect(proxied(p), p).toBe(true);
  }
});

test('a path with a malformed percent-escape is recognised', () => {
  for (const p of ['/api/servers/abc%', '/api/videos/abc%/progress', '/api/videos/%E0%A4%A', '/api/users/%zz', '/api/x/%C0%AF']) {
    expect(isDecodablePath(p), p).toBe(false);
  }
  for (const p of ['/api/servers/abc', '/api/videos/a%20b', '/api/videos/%E0%A4%A4', '/api/x%2Fy']) {
    expect(isDecodablePath(p), p).toBe(true);
  }
});
