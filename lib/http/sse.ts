// Server-Sent Events for route handlers: the headers proxies need to pass a stream through
// unbuffered, keep-alive comments so idle connections are not cut, and one teardown path whatever
// ends the stream — the client leaving, the caller calling close(), or a caller's AbortSignal
// (e.g. "this user's session was revoked").

import { errorFields, logger } from '../logger';

const enc = new TextEncoder();

export const SSE_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'text/event-stream; charset=utf-8',
  // no-transform: compressing proxies would otherwise buffer the stream.
  'cache-control': 'no-cache, no-transform',
  connection: 'keep-alive',
  // nginx buffers responses unless told not to.
  'x-accel-buffering': 'no',
};

export interface SseStream {
  /** Sends one event; `data` is JSON-encoded unless it is a string. A no-op once closed. */
  send(event: string, data: unknown, id?: string): void;
  /** Sends a comment line (ignored by EventSource; keeps proxies from timing out). */
  comment(text: string): void;
  /** Ends the stream (idempotent); the client's EventSource then reconnects after `retry`. */
  close(): void;
  /** Runs `fn` once when the stream ends, however it ends; at once if it already has. */
  onClose(fn: () => void): void;
  /** Aborted when the stream ends: hand it to anything that should stop with it. */
  readonly signal: AbortSignal;
}

export interface SseOptions {
  /** Interval of the keep-alive comment (default 15 s: under the 30–60 s idle cut of common proxies). */
  heartbeatMs?: number;
  /** Reconnection delay told to the client (default 3 s). */
  retryMs?: number;
  /** Ends the stream when aborted, e.g. on session revocation. */
  signal?: AbortSignal;
}

/** One SSE message. Multi-line strings become several `data:` lines, as the format requires. */
export function formatSseEvent(event: string, data: unknown, id?: string): string {
  const text = typeof data === 'string' ? data : JSON.stringify(data);
  const lines = text.split(/\r\n|\r|\n/).map((l) => `data: ${l}`);
  return `${id === undefined ? '' : `id: ${id.replace(/[\r\n]/g, '')}\n`}event: ${event.replace(/[\r\n]/g, '')}\n${lines.join('\n')}\n\n`;
}

/**
 * Answers `req` with an event stream and hands it to `start`. The stream ends when the client
 * disconnects (`req.signal`), when `options.signal` aborts, or when the caller calls `close()`; in
 * every case the `onClose` callbacks run once. A throw from `start` closes the stream.
 */
export function sseResponse(req: Request, start: (sse: SseStream) => void | Promise<void>, options: SseOptions = {}): Response {
  const ended = new AbortController();
  const closers: (() => void)[] = [];
  let controller: ReadableStreamDefaultController<Uint8Array> | null = null;
  let heartbeat: ReturnType<typeof setInterval> | null = null;

  const write = (chunk: string) => {
    if (ended.signal.aborted || !controller) return;
    try {
      controller.enqueue(enc.encode(chunk));
    } catch {
      close();
    }
  };

  function close() {
    if (ended.signal.aborted) return;
    ended.abort();
    if (heartbeat) clearInterval(heartbeat);
    req.signal.removeEventListener('abort', close);
    options.signal?.removeEventListener('abort', close);
    for (const fn of closers.splice(0)) {
      try {
        fn();
      } catch {
        // One failing cleanup must not keep the others from running.
      }
    }
    try {
      controller?.close();
    } catch {
      // Already closed or cancelled by the client.
    }
  }

  const sse: SseStream = {
    send: (event, data, id) => write(formatSseEvent(event, data, id)),
    comment: (text) => write(`: ${text.replace(/[\r\n]+/g, ' ')}\n\n`),
    close,
    onClose: (fn) => {
      if (ended.signal.aborted) fn();
      else closers.push(fn);
    },
    signal: ended.signal,
  };

  const stream = new ReadableStream<Uint8Array>({
    async start(c) {
      controller = c;
      if (req.signal.aborted || options.signal?.aborted) return close();
      req.signal.addEventListener('abort', close);
      options.signal?.addEventListener('abort', close);
      write(`retry: ${options.retryMs ?? 3000}\n\n`);
      heartbeat = setInterval(() => sse.comment('keep-alive'), options.heartbeatMs ?? 15_000);
      try {
        await start(sse);
      } catch (err) {
        logger.warn('event stream failed to start', errorFields(err));
        close();
      }
    },
    cancel: close,
  });
  return new Response(stream, { headers: SSE_HEADERS });
}
