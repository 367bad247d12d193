// Webhook authentication and body limits over real sockets: a Node HTTP server (the same shape as
// scripts/web-server.ts: IncomingMessage → Web Request → handler) runs a receiver composed the way the
// POST /api/webhooks/{source} routes will be: authenticate → read → parse. What this shows that a
// direct handler call cannot: a stranger's upload is refused from its headers while the client is
// still sending, an unbounded chunked body is cut at 1 MB, and Plex's multipart form with a big thumb
// arrives intact.
import http from 'node:http';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { freePort } from '../../lib/database/embedded';
import { route } from '../../lib/http/route';
import { json } from '../../lib/http/respond';
import { parseMediaServerWebhook } from '../../lib/history/webhooks';
import { authenticateWebhook, getOrCreateWebhookSecret, readWebhookPayload } from '../../lib/webhooks';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const MB = 1024 * 1024;
let server: http.Server;
let port: number;
let secret: string;
/** Body bytes the handler pulled from each request, by request path. */
const consumed = new Map<string, number>();

const receiver = route(async (req) => {
  await authenticateWebhook(req);
  const payload = await readWebhookPayload(req);
  const source = new URL(req.url).pathname.split('/').pop() as 'plex' | 'jellyfin' | 'emby';
  const event = parseMediaServerWebhook(source, payload);
  return json({ kind: event.kind, event: event.event }, { status: 202 });
});

beforeAll(async () => {
  secret = await getOrCreateWebhookSecret();
  port = await freePort();
  server = http.createServer((req, res) => {
    const key = req.url!;
    consumed.set(key, 0);
    const counted = Readable.toWeb(req) as ReadableStream<Uint8Array>;
    const body = counted.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          consumed.set(key, (consumed.get(key) ?? 0) + chunk.byteLength);
          controller.enqueue(chunk);
        },
      }),
    );
    const request = new Request(`http://127.0.0.1:${port}${req.url}`, {
      method: req.method,
      headers: Object.entries(req.headers).flatMap(([k, v]) => (v === undefined ? [] : [[k, Array.isArray(v) ? v.join(', ') : v] as [string, string]])),
      body,
      duplex: 'half',
    } as RequestInit);
    void (async () => {
      const response = await receiver(request, { params: Promise.resolve({}) });
      // An unread remainder is not worth receiving: close the connection after an early refusal.
      res.writeHead(response.status, { ...Object.fromEntries(response.headers), connection: 'close' });
      res.end(Buffer.from(await response.arrayBuffer()));
    })();
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

interface Sent {
  status: number;
  body: { error?: { code: string }; kind?: string; event?: string };
  /** Body bytes the client had written when the response arrived. */
  writtenAtResponse: number;
}

/** Streams `chunks` (generated lazily, 64 kB apart by an event-loop turn) and returns the response. */
function send(path: string, headers: Record<string, string>, chunks: () => Generator<Buffer>): Promise<Sent> {
  return new Promise((resolve, reject) => {
    let written = 0;
    let responded = false;
    const req = http.request({ host: '127.0.0.1', port, path, method: 'POST', headers }, (res) => {
      responded = true;
      const writtenAtResponse = written;
      const parts: Buffer[] = [];
      res.on('data', (c: Buffer) => parts.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(Buffer.concat(parts).toString('utf8') || '{}'), writtenAtResponse }));
    });
    // The server closes the socket after an early answer: a write error then is expected.
    req.on('error', (err) => (responded ? undefined : reject(err)));
    const it = chunks();
    const pump = () => {
      if (responded) return req.destroyed || req.end();
      const next = it.next();
      if (next.done) return req.end();
      written += next.value.length;
      if (req.write(next.value)) setImmediate(pump);
      else req.once('drain', pump);
    };
    pump();
  });
}

function* repeat(total: number, byte = 0x20): Generator<Buffer> {
  for (let sent = 0; sent < total; sent += 64 * 1024) yield Buffer.alloc(Math.min(64 * 1024, total - sent), byte);
}

function* once(buf: Buffer | string): Generator<Buffer> {
  yield Buffer.from(buf);
}

describe('webhook receiver over HTTP', () => {
  test('no secret: 401 from the headers alone, while the client is still sending a 50 MB body', async () => {
    const res = await send('/api/webhooks/plex', { 'content-type': 'application/json', 'content-length': String(50 * MB) }, () => repeat(50 * MB));
    expect(res.status).toBe(401);
    expect(res.body.error?.code).toBe('invalid_webhook_secret');
    expect(consumed.get('/api/webhooks/plex')).toBe(0);
    expect(res.writtenAtResponse).toBeLessThan(10 * MB);
  });

  test('declared Content-Length over 1 MB: 413 before the body is read', async () => {
    const path = `/api/webhooks/jellyfin?token=${secret}`;
    const res = await send(path, { 'content-type': 'application/json', 'content-length': String(20 * MB) }, () => repeat(20 * MB));
    expect(res.status).toBe(413);
    expect(res.body.error?.code).toBe('payload_too_large');
    expect(consumed.get(path)).toBe(0);
  });

  test('chunked body (no Content-Length) growing past 1 MB: 413 after about 1 MB was read', async () => {
    const path = `/api/webhooks/emby?token=${secret}`;
    const res = await send(path, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' }, () => repeat(20 * MB));
    expect(res.status).toBe(413);
    expect(consumed.get(path)).toBeGreaterThan(MB);
    expect(consumed.get(path)).toBeLessThan(2 * MB);
  });

  test('Plex multipart with a 5 MB thumb, secret as Basic password: the payload is parsed', async () => {
    const boundary = 'PlexBoundaryb1e6a4f2';
    const payload = readFileSync(join(process.cwd(), 'tests/fixtures/plex-webhook/media.scrobble.json'), 'utf8');
    const head = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="payload"\r\nContent-Type: application/json\r\n\r\n${payload}\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="thumb"; filename="image.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`,
    );
    const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
    const total = head.length + 5 * MB + tail.length;
    const res = await send(
      '/api/webhooks/plex',
      { 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': String(total), authorization: `Basic ${Buffer.from(`plex:${secret}`).toString('base64')}` },
      function* () {
        yield head;
        yield* repeat(5 * MB, 0xff);
        yield tail;
      },
    );
    expect(res).toMatchObject({ status: 202, body: { kind: 'scrobble', event: 'media.scrobble' } });
    expect(consumed.get('/api/webhooks/plex')).toBe(total);
  });

  test('malformed JSON → 400, too deep → 400, a playback event missing its item → 422; never 500', async () => {
    const path = `/api/webhooks/jellyfin?token=${secret}`;
    const bad = await send(path, { 'content-type': 'application/json' }, () => once('{"NotificationType":'));
    expect(bad.status).toBe(400);
    const deep = await send(path, { 'content-type': 'application/json' }, () => once('['.repeat(11) + ']'.repeat(11)));
    expect(deep).toMatchObject({ status: 400, body: { error: { code: 'payload_too_deep' } } });
    const missing = await send(path, { 'content-type': 'application/json' }, () => once('{"NotificationType":"PlaybackStart"}'));
    expect(missing).toMatchObject({ status: 422, body: { error: { code: 'validation_failed' } } });
  });
});
