// What Marquee's own Node server (scripts/web-server.ts) does to a request before Next sees it.
// - Streaming routes (uploads, webhooks) are kept out of proxy.ts's matcher, because while a proxy
//   matches, Next reads the whole body (capped at 10 MB) before the handler can authenticate or
//   refuse it. The security headers proxy.ts would have set are set here instead; CSRF and auth
//   stay in the handlers, which check them (and the declared size) before reading the body.
// - A path with a malformed percent-escape (`/api/servers/abc%`) makes Next's router throw, which
//   answered a plain-text 500; /api paths get the API's 400 JSON error instead, pages a plain 400.
// - Every other /api route takes a small JSON (or form) body: one declaring more than
//   API_BODY_MAX_BYTES is refused here, before proxy.ts's buffering would read up to 10 MB of it,
//   and so is one of unknown length (chunked): browsers and API clients send small bodies with a
//   Content-Length; only the streaming routes need to take a body of unknown size.
// - `Expect: 100-continue` is answered only once something reads the body, so a refused request
//   (401, 413) is answered before the client sends its body.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { generateNonce, securityHeaders } from '../security/headers';
import type { ErrorCode } from './errors';

/** Paths whose bodies must stream to the handler untouched; keep in sync with proxy.ts's matcher. */
export const STREAMING_PATHS = [/^\/api\/videos\/?$/, /^\/api\/videos\/uploads\/[^/]+\/?$/, /^\/api\/webhooks(\/|$)/];

/** Largest body a non-streaming /api route accepts (its JSON inputs are a few KiB). */
export const API_BODY_MAX_BYTES = 1024 * 1024;

export function isStreamingPath(pathname: string): boolean {
  return STREAMING_PATHS.some((re) => re.test(pathname));
}

function pathOf(url: string | undefined): string {
  const raw = url ?? '/';
  const q = raw.search(/[?#]/);
  return q === -1 ? raw : raw.slice(0, q);
}

/** True when every percent-escape in the path decodes (to valid UTF-8). */
export function isDecodablePath(pathname: string): boolean {
  try {
    decodeURIComponent(pathname);
    return true;
  } catch {
    return false;
  }
}

function sendJsonError(res: ServerResponse, status: number, code: ErrorCode, message: string) {
  const body = JSON.stringify({ error: { code, message } });
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
    // The body (if any) is not read: close rather than wait for it to drain.
    connection: 'close',
    ...securityHeaders({ nonce: generateNonce(), https: false }),
  });
  res.end(body);
}

function isHttpsRequest(req: IncomingMessage): boolean {
  const proto = req.headers['x-forwarded-proto'];
  const first = (Array.isArray(proto) ? proto[0] : proto)?.split(',')[0]?.trim();
  if (first) return first === 'https';
  return Boolean((req.socket as TLSSocket).encrypted);
}

/**
 * Runs before Next. Returns true when it answered the request itself; otherwise it may have set
 * response headers, and Next handles the request.
 */
export function guardRequest(req: IncomingMessage, res: ServerResponse, opts: { dev?: boolean } = {}): boolean {
  const pathname = pathOf(req.url);
  const isApi = pathname === '/api' || pathname.startsWith('/api/');
  if (!isDecodablePath(pathname)) {
    if (isApi) sendJsonError(res, 400, 'bad_request', 'The path contains a malformed percent-escape.');
    else {
      res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8', connection: 'close', ...securityHeaders({ nonce: generateNonce(), https: false }) });
      res.end('Bad request: the address contains a malformed percent-escape.');
    }
    return true;
  }
  const streaming = isStreamingPath(pathname);
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (isApi && !streaming && Number.isFinite(declared) && declared > API_BODY_MAX_BYTES) {
    sendJsonError(res, 413, 'payload_too_large', `The request body is larger than this route accepts (${API_BODY_MAX_BYTES / 1024} KiB).`);
    return true;
  }
  if (isApi && !streaming && req.headers['transfer-encoding'] && req.headers['content-length'] === undefined) {
    sendJsonError(res, 411, 'length_required', 'Send the request body with a Content-Length.');
    return true;
  }
  if (streaming) {
    for (const [k, v] of Object.entries(securityHeaders({ nonce: generateNonce(), https: isHttpsRequest(req), dev: opts.dev }))) {
      res.setHeader(k, v);
    }
  }
  return false;
}

/**
 * For a request that sent `Expect: 100-continue`: sends `100 Continue` only when the body is first
 * read. Node would otherwise send it at once, inviting the client to upload a body the handler
 * is about to refuse.
 */
export function continueOnFirstRead(req: IncomingMessage, res: ServerResponse): void {
  const stream = req as IncomingMessage & { _read: (n: number) => void };
  const read = stream._read;
  let sent = false;
  stream._read = function (this: IncomingMessage, n: number) {
    if (!sent) {
      sent = true;
      if (!res.headersSent) res.writeContinue();
    }
    return read.call(this, n);
  };
}
