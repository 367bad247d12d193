// lib/http/sse.ts: the event-stream response every live view uses: headers, keep-alive comments and
// one teardown whatever ends the stream (client gone, caller's close(), caller's AbortSignal).
import { describe, expect, test, vi } from 'vitest';
import { formatSseEvent, sseResponse, type SseStream } from '@/lib/http/sse';

const dec = new TextDecoder();

/** Reads from the response until `until` matches what arrived so far. */
async function readUntil(reader: ReadableStreamDefaultReader<Uint8Array>, until: (text: string) => boolean): Promise<string> {
  let text = '';
  while (!until(text)) {
    const { done, value } = await reader.read();
    if (done) break;
    text += dec.decode(value, { stream: true });
  }
  return text;
}

function open(start: (sse: SseStream) => void | Promise<void>, opts: Parameters<typeof sseResponse>[2] = {}) {
  const client = new AbortController();
  const res = sseResponse(new Request('http://localhost/api/events', { signal: client.signal }), start, opts);
  return { res, client, reader: res.body!.getReader() };
}

describe('sseResponse', () => {
  test('sends the headers proxies need, a retry hint, then events', async () => {
    const { res, reader } = open((sse) => {
      sse.send('live', { n: 1 });
      sse.send('note', 'two\nlines', '7');
    });
    expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('no-cache, no-transform');
    expect(res.headers.get('x-accel-buffering')).toBe('no');
    const text = await readUntil(reader, (t) => t.includes('lines'));
    expect(text).toBe('retry: 3000\n\nevent: live\ndata: {"n":1}\n\nid: 7\nevent: note\ndata: two\ndata: lines\n\n');
    await reader.cancel();
  });

  test('sends a keep-alive comment while idle', async () => {
    const { reader } = open(() => {}, { heartbeatMs: 10 });
    const text = await readUntil(reader, (t) => t.split(': keep-alive\n\n').length > 2);
    expect(text.startsWith('retry: 3000\n\n: keep-alive\n\n: keep-alive\n\n')).toBe(true);
    await reader.cancel();
  });

  test('a client disconnect runs the cleanups once and stops the heartbeat', async () => {
    const cleanup = vi.fn();
    let stream: SseStream | undefined;
    const { client, reader } = open(
      (sse) => {
        stream = sse;
        sse.onClose(cleanup);
      },
      { heartbeatMs: 5 },
    );
    await readUntil(reader, (t) => t.includes('keep-alive'));
    client.abort();
    expect(cleanup).toHaveBeenCalledTimes(1);
    expect(stream!.signal.aborted).toBe(true);
    stream!.close();
    stream!.send('live', {}); // no throw after the end
    expect(cleanup).toHaveBeenCalledTimes(1);
  });

  test('the caller ends the stream with close() or its own AbortSignal (e.g. session revoked)', async () => {
    const closed = vi.fn();
    const a = open((sse) => {
      sse.onClose(closed);
      sse.send('live', 1);
      sse.close();
    });
    const text = await readUntil(a.reader, () => false); // reads to the end: the stream finished
    expect(text).toContain('data: 1');
    expect(closed).toHaveBeenCalledTimes(1);

    const revoked = new AbortController();
    const cleanup = vi.fn();
    const b = open((sse) => sse.onClose(cleanup), { signal: revoked.signal, heartbeatMs: 5 });
    await readUntil(b.reader, (t) => t.includes('retry'));
    revoked.abort();
    await readUntil(b.reader, () => false);
    expect(cleanup).toHaveBeenCalledTimes(1);
  });

  test('a cleanup registered after the stream ended runs at once (async start outlived the client)', async () => {
    const late = vi.fn();
    let resume!: () => void;
    const gate = new Promise<void>((r) => (resume = r));
    const { client } = open(async (sse) => {
      await gate;
      sse.onClose(late);
    });
    client.abort();
    resume();
    await new Promise((r) => setTimeout(r, 0));
    expect(late).toHaveBeenCalledTimes(1);
  });

  test('a cancelled body (the reader goes away) also ends it', async () => {
    const cleanup = vi.fn();
    const { reader } = open((sse) => sse.onClose(cleanup));
    await readUntil(reader, (t) => t.includes('retry'));
    await reader.cancel();
    expect(cleanup).toHaveBeenCalledTimes(1);
  });

  test('a failing start ends the stream instead of leaving it open', async () => {
    const cleanup = vi.fn();
    const { reader } = open((sse) => {
      sse.onClose(cleanup);
      throw new Error('subscribe failed');
    });
    await readUntil(reader, () => false);
    expect(cleanup).toHaveBeenCalledTimes(1);
  });
});

describe('formatSseEvent', () => {
  test('cannot be broken out of by newlines in the event name or id', () => {
    expect(formatSseEvent('a\nevent: b', 'x', '1\n2')).toBe('id: 12\nevent: aevent: b\ndata: x\n\n');
  });
});
