// proxy.ts's matcher and the web server's list of streaming paths must agree: a streaming route the
// proxy still matched would be buffered (and truncated at 10 MB) again; a path the web server thought
// streaming but the proxy matched would get its headers twice. Also the percent-escape check.
import http from 'node:http';
import { createRequire } from 'node:module';
import net from 'node:net';
import { expect, test } from 'vitest';
import { config } from '../../../proxy';
import { continueOnFirstRead, isDecodablePath, isStreamingPath } from '../../../lib/http/front-door';

// The regular expression Next itself compiles the matcher into (what `next build` writes to
// functions-config-manifest.json).
const require = createRequire(import.meta.url);
const { getMiddlewareMatchers } = require('next/dist/build/analysis/get-page-static-info.js') as {
  getMiddlewareMatchers: (m: string[], cfg: { basePath: string }) => { regexp: string }[];
};
const matchers = getMiddlewareMatchers(config.matcher, { basePath: '' }).map((m) => new RegExp(m.regexp));
const proxied = (p: string) => matchers.some((re) => re.test(p));

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

/** A server that, like scripts/web-server.ts, answers `Expect: 100-continue` only on the first read. */
async function withServer(handler: http.RequestListener, run: (port: number) => Promise<void>) {
  const server = http.createServer(handler);
  server.on('checkContinue', (req, res) => {
    continueOnFirstRead(req, res);
    handler(req, res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    await run((server.address() as net.AddressInfo).port);
  } finally {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }
}

/** Sends the head, then the body only once `100 Continue` arrives; collects what the server says. */
function expectContinueClient(port: number, body: string): Promise<{ raw: string; closed: boolean }> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    let raw = '';
    let closed = false;
    s.on('data', (d) => {
      raw += d;
      if (raw.startsWith('HTTP/1.1 100') && !raw.includes('body-sent')) {
        s.write(body);
        raw += '[body-sent]';
      }
    });
    s.on('end', () => (closed = true));
    setTimeout(() => {
      s.destroy();
      resolve({ raw, closed });
    }, 1_000);
    s.write(`POST /api/videos HTTP/1.1\r\nHost: x\r\nContent-Length: ${body.length}\r\nExpect: 100-continue\r\n\r\n`);
  });
}

test('Expect: 100-continue → 100 only when the handler reads the body; a refusal gets no 100 and a closed connection', async () => {
  await withServer(
    (req, res) => {
      if (!req.headers.authorization) {
        res.statusCode = 401;
        res.end('no');
        return;
      }
      let n = 0;
      req.on('data', (d: Buffer) => (n += d.length));
      req.on('end', () => res.end(`got ${n}`));
    },
    async (port) => {
      const refused = await expectContinueClient(port, 'x'.repeat(10));
      expect(refused.raw).toMatch(/^HTTP\/1\.1 401/);
      expect(refused.raw).not.toContain('100 Continue');
      expect(refused.raw.toLowerCase()).toContain('connection: close');
      expect(refused.closed).toBe(true);
    },
  );
  await withServer(
    (req, res) => {
      let n = 0;
      req.on('data', (d: Buffer) => (n += d.length));
      req.on('end', () => res.end(`got ${n}`));
    },
    async (port) => {
      const accepted = await expectContinueClient(port, 'x'.repeat(10));
      expect(accepted.raw).toMatch(/^HTTP\/1\.1 100 Continue/);
      expect(accepted.raw).toContain('got 10');
    },
  );
});
