// Webhook body limits: over 1 MB → 413, nested deeper than 10 → 400, malformed → 400,
// and Plex's multipart form yields its `payload` whatever the size of the `thumb` beside it.
import { describe, expect, test } from 'vitest';
import { toErrorResponse } from '@/lib/http/respond';
import { jsonDepthExceeds, readWebhookJson, readWebhookMultipart, readWebhookPayload } from '@/lib/webhooks/body';

const MB = 1024 * 1024;
const enc = new TextEncoder();

function post(body: BodyInit | ReadableStream<Uint8Array>, headers: Record<string, string> = {}): Request {
  return new Request('http://localhost:3000/api/webhooks/sonarr', { method: 'POST', body, headers, duplex: 'half' } as RequestInit);
}

/** A body produced chunk by chunk on demand, recording how much of it was ever pulled. */
function lazyBody(totalBytes: number, chunkBytes = 64 * 1024) {
  const state = { pulled: 0, cancelled: false };
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (state.pulled >= totalBytes) return controller.close();
        const n = Math.min(chunkBytes, totalBytes - state.pulled);
        state.pulled += n;
        controller.enqueue(new Uint8Array(n).fill(0x20));
      },
      cancel() {
        state.cancelled = true;
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, state };
}

/** JSON text of exactly `bytes` bytes: {"pad":"xxx…"}. */
function jsonOfSize(bytes: number): string {
  const overhead = '{"pad":""}'.length;
  return `{"pad":"${'x'.repeat(bytes - overhead)}"}`;
}

function nested(depth: number): string {
  return '{"a":'.repeat(depth - 1) + '{}' + '}'.repeat(depth - 1);
}

async function errorOf(p: Promise<unknown>) {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err, 'expected the reader to refuse').not.toBeNull();
  const res = toErrorResponse(err);
  return { status: res.status, body: (await res.json()) as { error: { code: string; message: string } } };
}

describe('readWebhookJson', () => {
  test('parses a real-sized body', async () => {
    expect(await readWebhookJson(post('{"eventType":"Test","series":{"id":1}}', { 'content-type': 'application/json' }))).toEqual({ eventType: 'Test', series: { id: 1 } });
  });

  test('1 MB (1,048,576 bytes) is accepted; one byte more → 413 payload_too_large', async () => {
    const ok = jsonOfSize(MB);
    expect(enc.encode(ok).byteLength).toBe(1_048_576);
    expect(await readWebhookJson(post(ok))).toMatchObject({ pad: expect.any(String) });
    const over = await errorOf(readWebhookJson(post(jsonOfSize(MB + 1))));
    expect(over.status).toBe(413);
    expect(over.body.error.code).toBe('payload_too_large');
  });

  test('a declared Content-Length over 1 MB is refused before one byte is read', async () => {
    const { stream, state } = lazyBody(50 * MB);
    const res = await errorOf(readWebhookJson(post(stream, { 'content-length': String(50 * MB) })));
    expect(res.status).toBe(413);
    expect(state.pulled).toBe(0);
  });

  test('a body without Content-Length is cut off (and the upload cancelled) once past 1 MB', async () => {
    const { stream, state } = lazyBody(50 * MB);
    const res = await errorOf(readWebhookJson(post(stream)));
    expect(res.status).toBe(413);
    expect(state.cancelled).toBe(true);
    expect(state.pulled).toBeLessThan(2 * MB);
  });

  test('nesting: 10 levels pass, 11 → 400 payload_too_deep', async () => {
    expect(await readWebhookJson(post(nested(10)))).toBeTypeOf('object');
    const deep = await errorOf(readWebhookJson(post(nested(11))));
    expect(deep.status).toBe(400);
    expect(deep.body.error.code).toBe('payload_too_deep');
    // Arrays count too.
    expect((await errorOf(readWebhookJson(post('['.repeat(11) + ']'.repeat(11))))).status).toBe(400);
  });

  test('brackets inside strings (and escaped quotes) do not count as nesting', () => {
    expect(jsonDepthExceeds(JSON.stringify({ path: '[[[[[[[[[[[[{{{{{{{{{{{{', quote: 'a "quoted" [[[[[[[[[[[[ word' }), 10)).toBe(false);
    expect(jsonDepthExceeds(nested(11), 10)).toBe(true);
  });

  test('malformed JSON, an empty body and non-UTF-8 bytes → 400 bad_request', async () => {
    for (const body of ['{"eventType": "Download",', '', '   ', 'eventType=Test']) {
      const res = await errorOf(readWebhookJson(post(body)));
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe('bad_request');
    }
    const latin1 = await errorOf(readWebhookJson(post(new Uint8Array([0x7b, 0x22, 0xe9, 0x22, 0x3a, 0x31, 0x7d]))));
    expect(latin1.status).toBe(400);
  });
});

/** A multipart body built as Plex sends it: the `payload` field, then a `thumb` JPEG part (streamed). */
function plexMultipart(payload: string, thumbBytes: number, opts: { thumbFirst?: boolean; field?: string } = {}) {
  const boundary = '----MarqueeTestBoundary7MA4YWxkTrZu0gW';
  const field = `--${boundary}\r\nContent-Disposition: form-data; name="${opts.field ?? 'payload'}"\r\nContent-Type: application/json\r\n\r\n${payload}\r\n`;
  const thumbHead = `--${boundary}\r\nContent-Disposition: form-data; name="thumb"; filename="image.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`;
  const parts: (Uint8Array | number)[] = opts.thumbFirst
    ? [enc.encode(thumbHead), thumbBytes, enc.encode(`\r\n${field}--${boundary}--\r\n`)]
    : [enc.encode(field + thumbHead), thumbBytes, enc.encode(`\r\n--${boundary}--\r\n`)];
  const total = parts.reduce<number>((n, p) => n + (typeof p === 'number' ? p : p.byteLength), 0);
  let i = 0;
  let left = -1;
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        for (;;) {
          const part = parts[i];
          if (part === undefined) return controller.close();
          if (typeof part !== 'number') {
            i++;
            return controller.enqueue(part);
          }
          if (left < 0) left = part;
          if (left === 0) {
            i++;
            left = -1;
            continue;
          }
          const n = Math.min(64 * 1024, left);
          left -= n;
          return controller.enqueue(new Uint8Array(n).fill(0xff));
        }
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, total, contentType: `multipart/form-data; boundary=${boundary}` };
}

describe('readWebhookMultipart', () => {
  const plexPayload = JSON.stringify({ event: 'media.play', Server: { uuid: 'srv' }, Metadata: { ratingKey: '1936545' } });

  test('Plex: the payload comes out of a form carrying a 5 MB thumb part', async () => {
    const body = plexMultipart(plexPayload, 5 * MB);
    expect(body.total).toBeGreaterThan(5 * MB);
    const req = post(body.stream, { 'content-type': body.contentType, 'content-length': String(body.total) });
    expect(await readWebhookMultipart(req)).toEqual(JSON.parse(plexPayload));
  });

  test('the thumb may come first; readWebhookPayload picks the multipart reader by Content-Type', async () => {
    const body = plexMultipart(plexPayload, 5 * MB, { thumbFirst: true });
    expect(await readWebhookPayload(post(body.stream, { 'content-type': body.contentType }))).toEqual(JSON.parse(plexPayload));
  });

  test("Emby's multipart form carries the JSON in `data`", async () => {
    const emby = JSON.stringify({ Event: 'playback.start', Item: { Id: '240252' } });
    const body = plexMultipart(emby, 0, { field: 'data' });
    expect(await readWebhookMultipart(post(body.stream, { 'content-type': body.contentType }))).toEqual(JSON.parse(emby));
  });

  test('a payload field over 1 MB → 413', async () => {
    const body = plexMultipart(jsonOfSize(MB + 1), 1024);
    const res = await errorOf(readWebhookMultipart(post(body.stream, { 'content-type': body.contentType })));
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('payload_too_large');
  });

  test('the payload field obeys the depth limit and must be JSON', async () => {
    const deep = plexMultipart(nested(11), 10);
    expect((await errorOf(readWebhookMultipart(post(deep.stream, { 'content-type': deep.contentType })))).body.error.code).toBe('payload_too_deep');
    const bad = plexMultipart('{"event":', 10);
    expect((await errorOf(readWebhookMultipart(post(bad.stream, { 'content-type': bad.contentType })))).status).toBe(400);
  });

  test('a form without a payload field, a missing boundary, or a truncated form → 400', async () => {
    const none = plexMultipart(plexPayload, 10, { field: 'other' });
    const missing = await errorOf(readWebhookMultipart(post(none.stream, { 'content-type': none.contentType })));
    expect(missing.status).toBe(400);
    expect(missing.body.error.message).toMatch(/payload/);
    expect((await errorOf(readWebhookMultipart(post('x', { 'content-type': 'multipart/form-data' })))).status).toBe(400);
    const cut = '------B\r\nContent-Disposition: form-data; name="payload"\r\n\r\n{"event":"media.play"}';
    expect((await errorOf(readWebhookMultipart(post(cut, { 'content-type': 'multipart/form-data; boundary=----B' })))).status).toBe(400);
  });

  test('the whole form is capped too (32 MB): a 40 MB thumb → 413, by Content-Length or while streaming', async () => {
    const declared = plexMultipart(plexPayload, 40 * MB);
    expect((await errorOf(readWebhookMultipart(post(declared.stream, { 'content-type': declared.contentType, 'content-length': String(declared.total) })))).status).toBe(413);
    const chunked = plexMultipart(plexPayload, 40 * MB);
    expect((await errorOf(readWebhookMultipart(post(chunked.stream, { 'content-type': chunked.contentType })))).status).toBe(413);
  });

  test('a JSON body sent to the multipart reader → 415', async () => {
    expect((await errorOf(readWebhookMultipart(post('{}', { 'content-type': 'application/json' })))).status).toBe(415);
  });
});
