// Runs before every page request: sends visitors without a session cookie to /login.
// This is a convenience, not the guard: layouts, pages, actions and API routes all verify the
// session on the server. API routes answer 401 JSON themselves, so they are not matched here.
import { NextResponse, type NextRequest } from 'next/server';

const PUBLIC_PAGES = ['/login', '/setup'];
const SESSION_COOKIES = ['__Secure-next-auth.session-token', 'next-auth.session-token'];

export function proxy(req: NextRequest) {
  const { pathname, search } = req.nextUrl;
  const isPublic = PUBLIC_PAGES.some((p) => pathname === p || pathname.startsWith(`${p}/`));
  const hasSession = SESSION_COOKIES.some((c) => req.cookies.has(c));
  if (!isPublic && !hasSession) {
    const url = req.nextUrl.clone();
    url.pathname = '/login';
    url.search = pathname === '/' ? '' : `?callbackUrl=${encodeURIComponent(pathname + search)}`;
    return NextResponse.redirect(url);
  }
  return NextResponse.next();
}

export const config = {
  matcher: ['/((?!api/|_next/|favicon.ico|robots.txt|.*\\.(?:png|jpg|svg|ico|css|js|txt|webmanifest)$).*)'],
};
