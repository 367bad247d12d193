// Media-server tokens stay with the server they were entered for: redirects to another origin are
// refused (the token is never sent there), a URL change to another origin needs the token again,
// and a response larger than 20 MB is not read into memory. All over real HTTP.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { HttpClient } from '@/lib/media-servers/http-client';
import { providerFor, type ServerType } from '@/lib/media-servers';
import { FakePlex } from '@/tests/fakes';
import { authHeaders, createUser, req, type TestUser } from '@/tests/helpers/auth';
import * as serversRoute from '@/app/api/servers/route';
import * as serverRoute from '@/app/api/servers/[id]/route';

interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
}

/** A tiny HTTP server that records every request and answers with `handle`. */
async function tinyServer(handle: (req: http.IncomingMessage, res: http.ServerResponse, origin: string) => void) {
  const seen: Seen[] = [];
  let origin = '';
  const server = http.createServer((rq, rs) => {
    seen.push({ method: rq.method ?? 'GET', url: rq.url ?? '/', headers: rq.headers });
    handle(rq, rs, origin);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { origin, seen, close: () => new Promise<void>((r) => server.close(() => r())) };
}

const closers: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of closers) await c();
});

const MiB = 1024 * 1024;

describe('redirects', () => {
  let elsewhere: Awaited<ReturnType<typeof tinyServer>>;
  let redirector: Awaited<ReturnType<typeof tinyServer>>;

  beforeAll(async () => {
    elsewhere = await tinyServer((_rq, rs) => rs.writeHead(200, { 'content-type': 'application/json' }).end('{}'));
    // Answers every request with a redirect to the same path on another origin (another port).
    redirector = await tinyServer((rq, rs) => rs.writeHead(302, { location: `${elsewhere.origin}${rq.url}` }).end());
    closers.push(elsewhere.close, redirector.close);
  });

  test.each<[ServerType, string]>([
    ['plex', 'x-plex-token'],
    ['jellyfin', 'authorization'],
    ['emby', 'x-emby-token'],
  ])('a %s server redirecting to another origin → redirect_refused, and the token never reaches that origin', async (type, header) => {
    elsewhere.seen.length = 0;
    const provider = providerFor({ type, url: redirector.origin, token: 'secret-token-123', timeoutMs: 3000 });
    await expect(provider.listUsers()).rejects.toMatchObject({ code: 'redirect_refused', message: expect.stringContaining(elsewhere.origin) });
    expect(redirector.seen.at(-1)?.headers[header]).toContain('secret-token-123');
    expect(elsewhere.seen).toEqual([]);
  });

  test('POST /api/servers/test against a redirecting server → 422 server_redirect_refused', async () => {
    elsewhere.seen.length = 0;
    const admin = await createUser({ role: 'admin' });
    const testRoute = await import('@/app/api/servers/test/route');
    const res = await testRoute.POST(
      req('/api/servers/test', {
        method: 'POST',
        headers: { ...(await authHeaders(admin)), 'content-type': 'application/json' },
        body: JSON.stringify({ type: 'emby', url: redirector.origin, token: 'secret-token-123' }),
      }),
      { params: Promise.resolve({}) },
    );
    expect(res.status).toBe(422);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('server_redirect_refused');
    expect(elsewhere.seen).toEqual([]);
  });

  test('same-origin redirects are followed with the token; a redirect loop stops with a clear error', async () => {
    const server = await tinyServer((rq, rs) => {
      if (rq.url === '/old') return void rs.writeHead(301, { location: '/new' }).end();
      if (rq.url === '/new') return void rs.writeHead(200, { 'content-type': 'text/plain' }).end(`token=${rq.headers['x-plex-token']}`);
      rs.writeHead(302, { location: '/loop' }).end();
    });
    closers.push(server.close);
    const client = new HttpClient({ baseUrl: server.origin, headers: { 'X-Plex-Token': 'tok' }, timeoutMs: 3000, label: 'The Plex server' });
    expect(await client.text('/old')).toBe('token=tok');
    server.seen.length = 0;
    await expect(client.text('/loop')).rejects.toMatchObject({ code: 'bad_response', message: expect.stringMatching(/redirected more than 5 times/) });
    expect(server.seen).toHaveLength(6);
  });
});

describe('response size', () => {
  let big: Awaited<ReturnType<typeof tinyServer>>;

  beforeAll(async () => {
    big = await tinyServer((rq, rs) => {
      const m = /^\/(chunked|declared)\/(\d+)$/.exec(rq.url ?? '');
      const bytes = Number(m?.[2] ?? 0);
      const headers: Record<string, string | number> = { 'content-type': 'application/json' };
      if (m?.[1] === 'declared') headers['content-length'] = bytes + 2;
      rs.writeHead(200, headers);
      // A JSON string of `bytes` characters, streamed in 1 MiB pieces (chunked unless declared).
      rs.write('"');
      let left = bytes;
      const piece = Buffer.alloc(MiB, 'a');
      const pump = () => {
        while (left > 0) {
          const n = Math.min(left, MiB);
          left -= n;
          if (!rs.write(piece.subarray(0, n))) return void rs.once('drain', pump);
        }
        rs.end('"');
      };
      rs.on('error', () => {});
      pump();
    });
    closers.push(big.close);
  });

  const client = () => new HttpClient({ baseUrl: big.origin, headers: {}, timeoutMs: 10_000, label: 'The Jellyfin server' });

  test('a 19 MB response is read', async () => {
    expect(((await client().json(`/chunked/${19 * MiB}`)) as string).length).toBe(19 * MiB);
  });

  test('a chunked response past 20 MB → response_too_large, reading stops', async () => {
    await expect(client().json(`/chunked/${21 * MiB}`)).rejects.toMatchObject({ code: 'response_too_large', message: expect.stringContaining('20 MB') });
  });

  test('a declared Content-Length past 20 MB → response_too_large before reading', async () => {
    await expect(client().text(`/declared/${64 * MiB}`)).rejects.toMatchObject({ code: 'response_too_large' });
    await expect(client().binary(`/declared/${21 * MiB}`)).rejects.toMatchObject({ code: 'response_too_large' });
  });
});

describe('changing a server URL', () => {
  const plex = new FakePlex();
  let admin: TestUser;
  let serverId: string;
  let catcher: Awaited<ReturnType<typeof tinyServer>>;

  beforeAll(async () => {
    await plex.listen();
    closers.push(() => plex.close());
    catcher = await tinyServer((_rq, rs) => rs.writeHead(404).end());
    closers.push(catcher.close);
    admin = await createUser({ role: 'admin' });
    const res = await serversRoute.POST(
      req('/api/servers', {
        method: 'POST',
        headers: { ...(await authHeaders(admin)), 'content-type': 'application/json' },
        body: JSON.stringify({ type: 'plex', name: 'Plex', url: plex.url, token: plex.token }),
      }),
      { params: Promise.resolve({}) },
    );
    expect(res.status).toBe(201);
    serverId = ((await res.json()) as { id: string }).id;
  });

  const patch = async (body: unknown) =>
    serverRoute.PATCH(
      req(`/api/servers/${serverId}`, {
        method: 'PATCH',
        headers: { ...(await authHeaders(admin)), 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }),
      { params: Promise.resolve({ id: serverId }) },
    );

  test('PATCH to another origin without the token → 422 token_required, and the stored token is not sent there', async () => {
    const res = await patch({ url: catcher.origin });
    expect(res.status).toBe(422);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('token_required');
    expect(catcher.seen).toEqual([]);
    // Another scheme or port of the same host is another origin too.
    const port = new URL(plex.url).port;
    expect((await patch({ url: `https://127.0.0.1:${port}` })).status).toBe(422);
    expect((await patch({ url: `http://localhost:${port}` })).status).toBe(422);
  });

  test('PATCH to the same origin without the token, or to another origin with a token, is tested and saved', async () => {
    const same = await patch({ url: `${plex.url}/` });
    expect(same.status).toBe(200);
    const other = await patch({ url: catcher.origin, token: 'typed-again' });
    expect(other.status).toBe(422); // the catcher is no Plex server: the connection test says so
    expect(((await other.json()) as { error: { code: string } }).error.code).toMatch(/^server_/);
    expect(catcher.seen.map((s) => s.headers['x-plex-token'])).toContain('typed-again');
  });
});
