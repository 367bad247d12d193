// One fetch wrapper for every media-server call: base URL, auth headers, a timeout, and failures
// turned into MediaServerError with a sentence a user can act on.
import { MediaServerError } from './errors';

export interface HttpClientOptions {
  baseUrl: string;
  headers: Record<string, string>;
  timeoutMs: number;
  label: string;
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
    const url = this.url(path, opts.query);
    const headers: Record<string, string> = { Accept: opts.accept ?? 'application/json', ...this.opts.headers };
    let body: string | undefined;
    if (opts.body !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(opts.body);
    }
    let res: Response;
    try {
      res = await fetch(url, {
        method: opts.method ?? 'GET',
        headers,
        body,
        signal: AbortSignal.timeout(this.opts.timeoutMs),
        redirect: 'follow',
      });
    } catch (err) {
      const name = (err as Error)?.name;
      if (name === 'TimeoutError' || name === 'AbortError') {
        throw new MediaServerError('timeout', `${this.opts.label} did not answer within ${this.opts.timeoutMs} ms (${url.origin}).`, { cause: err });
      }
      const cause = (err as { cause?: { code?: string } })?.cause?.code;
      throw new MediaServerError('unreachable', `Could not reach ${this.opts.label.replace(/^The /, "the ")} at ${url.origin}${cause ? ` (${cause})` : ''}.`, { cause: err });
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

  async text(path: string, opts: RequestOptions = {}): Promise<string> {
    const res = await this.request(path, opts);
    try {
      return await res.text();
    } catch (err) {
      throw new MediaServerError('bad_response', `${this.opts.label} closed the connection mid-response.`, { cause: err });
    }
  }

  async json(path: string, opts: RequestOptions = {}): Promise<unknown> {
    const text = await this.text(path, opts);
    return parseJson(text, this.opts.label);
  }

  async binary(path: string, opts: RequestOptions = {}): Promise<{ body: ArrayBuffer; contentType: string }> {
    const res = await this.request(path, { ...opts, accept: 'image/*' });
    return { body: await res.arrayBuffer(), contentType: res.headers.get('content-type') ?? 'image/jpeg' };
  }
}

export function parseJson(text: string, label: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new MediaServerError('bad_response', `${label} sent a response that is not valid JSON.`, { cause: err });
  }
}
