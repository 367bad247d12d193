import { env } from '@/lib/env';
import { getRequestActor } from '@/lib/auth/session';
import { buildUserscript } from '@/lib/tracker';
import { getWidgetSettings } from '@/lib/tracker/settings';
import { appVersion } from '@/lib/version';

export const dynamic = 'force-dynamic';

/** The origin users reach Marquee at: PUBLIC_URL, else the address this request came to. */
function publicOrigin(req: Request): string {
  if (env.PUBLIC_URL) return new URL(env.PUBLIC_URL).origin;
  const host = req.headers.get('x-forwarded-host') ?? req.headers.get('host');
  const proto = req.headers.get('x-forwarded-proto')?.split(',')[0]?.trim() ?? new URL(req.url).protocol.replace(':', '');
  return host ? `${proto}://${host.split(',')[0]!.trim()}` : new URL(req.url).origin;
}

// GET /tracker/widget.user.js: the tracker userscript. No secrets in it (the token is asked for once);
// a signed-in visitor gets their own sites and keys, anyone else TRACKER_WIDGET_MATCHES and N/P/U/X.
export async function GET(req: Request) {
  const actor = await getRequestActor(req).catch(() => null);
  const settings = await getWidgetSettings(actor?.id ?? null);
  const body = buildUserscript({ origin: publicOrigin(req), matches: settings.matches, keys: settings.keys, version: appVersion() });
  return new Response(body, { headers: { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' } });
}
