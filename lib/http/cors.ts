// CORS for the few endpoints other sites' pages may call (the tracker bookmarklet). Only listed
// origins get CORS headers, and never Access-Control-Allow-Credentials: a cross-origin caller
// authenticates with a Bearer token, so the browser's cookies play no part.
import { toErrorResponse } from './respond';

export interface CorsPolicy {
  /** Exact origins, e.g. "https://queue.example.com". */
  origins: readonly string[];
  methods: readonly string[];
  headers?: readonly string[];
  maxAgeS?: number;
}

/** Parses a comma-separated origin list; entries that are not a bare origin are dropped. */
export function parseOriginList(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .flatMap((s) => {
      try {
        const u = new URL(s);
        return u.origin === s.replace(/\/$/, '') ? [u.origin] : [];
      } catch {
        return [];
      }
    });
}

export function allowedOrigin(req: Request, policy: CorsPolicy): string | null {
  const origin = req.headers.get('origin');
  return origin && policy.origins.includes(origin) ? origin : null;
}

function corsHeaders(origin: string, policy: CorsPolicy): Record<string, string> {
  return {
    'access-control-allow-origin': origin,
    'access-control-allow-methods': policy.methods.join(', '),
    'access-control-allow-headers': (policy.headers ?? ['authorization', 'content-type']).join(', '),
    'access-control-expose-headers': 'retry-after',
    'access-control-max-age': String(policy.maxAgeS ?? 600),
  };
}

/** Answers a preflight: 204 with CORS headers for an allowed origin, 403 without any otherwise. */
export function preflight(req: Request, policy: CorsPolicy): Response {
  const origin = allowedOrigin(req, policy);
  const method = req.headers.get('access-control-request-method')?.toUpperCase();
  if (!origin || (method && !policy.methods.includes(method))) {
    return new Response(null, { status: 403, headers: { vary: 'Origin' } });
  }
  return new Response(null, { status: 204, headers: { ...corsHeaders(origin, policy), vary: 'Origin' } });
}

/** Wraps a handler so its answer (errors included) carries CORS headers for an allowed origin. */
export function withCors<C>(policy: () => CorsPolicy, handler: (req: Request, ctx: C) => Promise<Response>) {
  return async (req: Request, ctx: C): Promise<Response> => {
    let res: Response;
    try {
      res = await handler(req, ctx);
    } catch (err) {
      res = toErrorResponse(err);
    }
    const p = policy();
    const origin = allowedOrigin(req, p);
    const headers = new Headers(res.headers);
    headers.append('vary', 'Origin');
    if (origin) for (const [k, v] of Object.entries(corsHeaders(origin, p))) headers.set(k, v);
    return new Response(res.body, { status: res.status, statusText: res.statusText, headers });
  };
}
