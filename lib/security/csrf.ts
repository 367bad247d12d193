// CSRF for cookie-authenticated route handlers that change state: the request must come from our own
// origin (Sec-Fetch-Site, else Origin, else Referer). Bearer-token requests carry no ambient
// credentials and webhooks authenticate with their own secret, so both are exempt by design.
import { AppError } from '../http/errors';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The origin the client addressed: PUBLIC_URL when configured, else the forwarded/Host header. */
export function expectedOrigins(req: Request, publicUrl?: string): string[] {
  const out = new Set<string>();
  if (publicUrl) out.add(new URL(publicUrl).origin);
  const url = new URL(req.url);
  out.add(url.origin);
  const host = req.headers.get('x-forwarded-host') ?? req.headers.get('host');
  if (host) {
    const proto = req.headers.get('x-forwarded-proto')?.split(',')[0]?.trim() ?? url.protocol.replace(':', '');
    out.add(`${proto}://${host.split(',')[0]!.trim()}`);
  }
  return [...out];
}

export function isSameOriginRequest(req: Request, publicUrl?: string): boolean {
  const site = req.headers.get('sec-fetch-site');
  if (site) return site === 'same-origin' || site === 'none';
  const origin = req.headers.get('origin') ?? refererOrigin(req.headers.get('referer'));
  // Non-browser clients (curl, scripts) send neither header; browsers always send one of them on a
  // cross-site POST, so a request without any cannot be a forged browser request.
  if (!origin) return true;
  return expectedOrigins(req, publicUrl).includes(origin);
}

function refererOrigin(ref: string | null): string | null {
  if (!ref) return null;
  try {
    return new URL(ref).origin;
  } catch {
    return 'invalid';
  }
}

/** Throws 403 `csrf_failed` for a cross-site state-changing request. */
export function assertSameOrigin(req: Request, publicUrl?: string): void {
  if (SAFE_METHODS.has(req.method.toUpperCase())) return;
  if (!isSameOriginRequest(req, publicUrl)) {
    throw new AppError('csrf_failed', 'Cross-site request refused: send it from Marquee itself or use an API token.', { status: 403 });
  }
}
