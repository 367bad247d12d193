import { route } from '@/lib/http/route';
import { json } from '@/lib/http/respond';
import { requestMeta } from '@/lib/auth/session';
import { assertSameOrigin } from '@/lib/security/csrf';
import { env } from '@/lib/env';
import { createPlexPin, plexPinSetCookie } from '@/lib/auth/media-sign-in';
import { enforceRateLimit, POLICIES } from '@/lib/rate-limit';

export const dynamic = 'force-dynamic';

// POST /api/auth/plex/pins → 201 { id, code, authUrl, expiresAt } (public: starts "Sign in with Plex").
// The PIN is bound to this browser by an HttpOnly cookie; only it can poll or redeem the PIN.
export const POST = route(async (req) => {
  assertSameOrigin(req, env.PUBLIC_URL);
  const meta = requestMeta(req);
  await enforceRateLimit(`plex-pin:${meta.ip ?? 'unknown'}`, POLICIES.signIn);
  const pin = await createPlexPin(meta);
  const secure = (env.PUBLIC_URL ?? req.url).startsWith('https:');
  return json(pin, { status: 201, headers: { 'set-cookie': plexPinSetCookie(pin.id, secure) } });
});
