// One fetch wrapper for every media-server call: base URL, auth headers, a timeout, and failures
// turned into MediaServerError with a sentence a user can act on. The headers carry the server's
// token, so redirects are followed by hand and only within the server's own origin (fetch's
// `follow` would hand X-Plex-Token / X-Emby-Token to any host the server points at), and a body
// is read only up to MAX_RESPONSE_BYTES (a hostile or broken server cannot fill our memory).
import { MediaServerError } from './errors';

/** Largest media-server response read (a library listing of a big server is a few MB). */
export const MAX_RESPONSE_BYTES = 20 * 1024 * 1024;
/** Same-origin redirects followed per request (a login page loop ends here). */
export const MAX_REDIRECTS = 5;

export interface HttpClientOptions {
  baseUrl: string;
  headers: Record<string, string>;
  timeoutMs: number;
  label: string;
  /** Response size cap in bytes (default MAX_RESPONSE_BYTES). */
  maxResponseBytes?: number;
}

export interface RequestOptions {
  method?: string;
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  accept?: string;
  /** Return the Response for these statuses instead of throwing. */
  allowStatus?: number[];
}

export function normalizeBaseUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new MediaServerError('invalid_url', `"${raw}" is not a valid URL (expected e.g. http://192.168.1.10:32400).`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new MediaServerError('invalid_url', `The URL must start with http:// or https:// (got ${url.protocol}).`);
  }
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return url;
}

export class HttpClient {
  private readonly base: URL;
  constructor(private readonly opts: HttpClientOptions) {
    this.base = normalizeBaseUrl(opts.baseUrl);
  }

  url(path: string, query?: RequestOptions['query']): URL {
    const u = new URL(path.replace(/^\//, ''), this.base);
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) u.searchParams.set(k, String(v));
    return u;
  }

  async request(path: string, opts: RequestOptions = {}): Promise<Response> {
    let url = this.url(path, opts.query);
    const headers: Record<string, string> = { Accept: opts.accept ?? 'application/json', ...this.opts.headers };
    let method = opts.method ?? 'GET';
    let body: string | undefined;
    if (opts.body !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(opts.body);
    }
    // One deadline for the whole chain of redirects.
    const signal = AbortSignal.timeout(this.opts.timeoutMs);
    let res: Response;
    for (let hop = 0; ; hop++) {
      try {
        res = await fetch(url, { method, headers, body, signal, redirect: 'manual' });
      } catch (err) {
        const name = (err as Error)?.name;
        if (name === 'TimeoutError' || name === 'AbortError') {
          throw new MediaServerError('timeout', `${this.opts.label} did not answer within ${this.opts.timeoutMs} ms (${url.origin}).`, { cause: err });
        }
        const cause = (err as { cause?: { code?: string } })?.cause?.code;
        throw new MediaServerError('unreachable', `Could not reach ${this.opts.label.replace(/^The /, "the ")} at ${url.origin}${cause ? ` (${cause})` : ''}.`, { cause: err });
      }
      const location = res.status >= 300 && res.status < 400 ? res.headers.get('location') : null;
      if (!location) break;
      await res.body?.cancel();
      let next: URL;
      try {
        next = new URL(location, url);
      } catch {
        throw new MediaServerError('bad_response', `${this.opts.label} redirected to an invalid address.`, { status: res.status });
      }
      if (next.origin !== url.origin) {
        throw new MediaServerError(
          'redirect_refused',
          `${this.opts.label} redirected ${url.origin} to ${next.origin}; Marquee does not send the server's token to another address. Use ${next.origin} as the server URL if it is the same server.`,
          { status: res.status },
        );
      }
      if (hop >= MAX_REDIRECTS) {
        throw new MediaServerError('bad_response', `${this.opts.label} redirected more than ${MAX_REDIRECTS} times (${url.pathname}).`, { status: res.status });
      }
      // As fetch does: 303 (and 301/302 after a POST) continue as a GET without the body.
      if (res.status === 303 || ((res.status === 301 || res.status === 302) && method === 'POST')) {
        method = 'GET';
        body = undefined;
        delete headers['Content-Type'];
      }
      url = next;
    }
    if (opts.allowStatus?.includes(res.status)) return res;
    if (res.status === 401 || res.status === 403) {
      await res.body?.cancel();
      throw new MediaServerError('invalid_credentials', `${this.opts.label} rejected the token (HTTP ${res.status}).`, { status: res.status });
    }
    if (res.status === 404) {
      await res.body?.cancel();
      throw new MediaServerError('not_found', `${this.opts.label} has no ${url.pathname} (HTTP 404).`, { status: 404 });
    }
    if (!res.ok) {
      await res.body?.cancel();
      throw new MediaServerError('http_error', `${this.opts.label} answered HTTP ${res.status} for ${url.pathname}.`, { status: res.status });
    }
    return res;
  }

  /** The body of `res`, read as a stream and abandoned past the size cap. */
  private async readBody(res: Response, path: string): Promise<Uint8Array> {
    const max = this.opts.maxResponseBytes ?? MAX_RESPONSE_BYTES;
    const tooLarge = () =>
      new MediaServerError('response_too_large', `${this.opts.label} sent more than ${Math.round(max / 1024 / 1024)} MB for ${path}; Marquee stopped reading it.`);
    const declared = Number(res.headers.get('content-length'));
    if (Number.isFinite(declared) && declared > max) {
      await res.body?.cancel();
      throw tooLarge();
    }
    if (!res.body) return new Uint8Array(0);
    const parts: Uint8Array[] = [];
    let size = 0;
    const reader = res.body.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        size += value.byteLength;
        if (size > max) {
          await reader.cancel();
          throw tooLarge();
        }
        parts.push(value);
      }
    } catch (err) {
      if (err instanceof MediaServerError) throw err;
      throw new MediaServerError('bad_response', `${this.opts.label} closed the connection mid-response.`, { cause: err });
    }
    const out = new Uint8Array(size);
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.byteLength;
    }
    return out;
  }

  async text(path: string, opts: RequestOptions = {}): Promise<string> {
    const res = await this.request(path, opts);
    return new TextDecoder().decode(await this.readBody(res, path));
  }

  async json(path: string, opts: RequestOptions = {}): Promise<unknown> {
    const text = await this.text(path, opts);
    return parseJson(text, this.opts.label);
  }

  async binary(path: string, opts: RequestOptions = {}): Promise<{ body: ArrayBuffer; contentType: string }> {
    const res = await this.request(path, { ...opts, accept: 'image/*' });
    const bytes = await this.readBody(res, path);
    return { body: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer, contentType: res.headers.get('content-type') ?? 'image/jpeg' };
  }
}

export function parseJson(text: string, label: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new MediaServerError('bad_response', `${label} sent a response that is not valid JSON.`, { cause: err });
  }
}
