// Runs before every request: sets the security headers (nonce-based CSP, nosniff, no framing,
// referrer/permissions policies, HSTS over HTTPS) and sends page visitors without a session cookie
// to /login. The redirect is a convenience, not the guard: layouts, pages, actions and API routes
// all verify the session on the server. API routes answer 401 JSON themselves.
import { NextResponse, type NextRequest } from 'next/server';
import { generateNonce, isHttps, securityHeaders } from './lib/security/headers';

const PUBLIC_PAGES = ['/login', '/setup'];
const SESSION_COOKIES = ['__Secure-next-auth.session-token', 'next-auth.session-token'];

function withSecurityHeaders(res: NextResponse, headers: Record<string, string>): NextResponse {
  for (const [k, v] of Object.entries(headers)) res.headers.set(k, v);
  return res;
}

export function proxy(req: NextRequest) {
  const { pathname, search } = req.nextUrl;
  const nonce = generateNonce();
  const headers = securityHeaders({ nonce, https: isHttps(req), dev: process.env.NODE_ENV === 'development' });
  const isApi = pathname === '/api' || pathname.startsWith('/api/');
  const isPublic = PUBLIC_PAGES.some((p) => pathname === p || pathname.startsWith(`${p}/`));
  const hasSession = SESSION_COOKIES.some((c) => req.cookies.has(c));
  if (!isApi && !isPublic && !hasSession) {
    const url = req.nextUrl.clone();
    url.pathname = '/login';
    url.search = pathname === '/' ? '' : `?callbackUrl=${encodeURIComponent(pathname + search)}`;
    return withSecurityHeaders(NextResponse.redirect(url), headers);
  }
  // Next reads the nonce from the request's CSP header and stamps it on its own scripts;
  // the root layout reads x-nonce for the inline theme script.
  const requestHeaders = new Headers(req.headers);
  requestHeaders.set('x-nonce', nonce);
  requestHeaders.set('content-security-policy', headers['content-security-policy']!);
  return withSecurityHeaders(NextResponse.next({ request: { headers: requestHeaders } }), headers);
}

// Streaming routes (uploads, webhooks; lib/http/front-door.ts STREAMING_PATHS) are left out: while
// a proxy matches, Next buffers the whole body (up to 10 MB, truncating the rest) before the handler
// can authenticate or refuse it. scripts/web-server.ts sets their security headers instead.
export const config = {
  matcher: [
    '/((?!_next/static|_next/image|favicon.ico|robots.txt|api/videos/?$|api/videos/uploads/[^/]+/?$|api/webhooks(?:/|$)|.*\\.(?:png|jpg|svg|ico|css|js|txt|webmanifest)$).*)',
  ],
};
