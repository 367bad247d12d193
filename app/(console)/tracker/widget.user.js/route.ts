import { env } from '@/lib/env';
import { buildUserscript } from '@/lib/tracker';
import { appVersion } from '@/lib/version';

export const dynamic = 'force-dynamic';

/** The origin users reach Marquee at: PUBLIC_URL, else the address this request came to. */
function publicOrigin(req: Request): string {
  if (env.PUBLIC_URL) return new URL(env.PUBLIC_URL).origin;
  const host = req.headers.get('x-forwarded-host') ?? req.headers.get('host');
  const proto = req.headers.get('x-forwarded-proto')?.split(',')[0]?.trim() ?? new URL(req.url).protocol.replace(':', '');
  return host ? `${proto}://${host.split(',')[0]!.trim()}` : new URL(req.url).origin;
}

// GET /tracker/widget.user.js: the tracker userscript (no secrets in it: the token is asked for once)
export function GET(req: Request) {
  const matches = env.TRACKER_WIDGET_MATCHES.split(',').map((s) => s.trim()).filter(Boolean);
  const body = buildUserscript({ origin: publicOrigin(req), matches, version: appVersion() });
  return new Response(body, { headers: { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-cache', 'x-content-type-options': 'nosniff' } });
}
