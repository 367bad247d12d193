import { route } from '@/lib/http/route';
import { json } from '@/lib/http/respond';
import { parseCookies } from '@/lib/auth/session';
import { AppError } from '@/lib/http/errors';
import { parsePinId, plexPinStatus, PLEX_PIN_COOKIE } from '@/lib/auth/media-sign-in';

export const dynamic = 'force-dynamic';
type Ctx = { params: Promise<{ id: string }> };

// GET /api/auth/plex/pins/{id} → { id, linked, expired }: the login page polls until the person
// linked the PIN at app.plex.tv, then signs in (next-auth provider `plex`). Only the browser that
// started the PIN may ask (its cookie); the plex.tv auth token is never sent to the browser.
export const GET = route<Ctx>(async (req, { params }) => {
  const id = parsePinId((await params).id);
  if (id === null) throw new AppError('plex_pin_not_yours', 'This Plex PIN was not started in this browser. Start "Sign in with Plex" again.', { status: 403 });
  return json(await plexPinStatus(id, parseCookies(req.headers.get('cookie')).get(PLEX_PIN_COOKIE)));
});
