import { route, readJson } from '@/lib/http/route';
import { json } from '@/lib/http/respond';
import { requireRequestActor, requestMeta } from '@/lib/auth/session';
import { reauthenticate, sessionCookieHeader } from '@/lib/auth/reauth';
import { reauthSchema } from '@/lib/users/schemas';

export const dynamic = 'force-dynamic';

// POST /api/account/reauth { password, totp? }: confirms the password (+ code) and refreshes the
// session's sign-in time, so sensitive actions (tokens, TOTP, password) are allowed for 10 minutes.
export const POST = route(async (req) => {
  const actor = await requireRequestActor(req, { allowPasswordChangeRequired: true });
  const input = reauthSchema.parse(await readJson(req));
  const refreshed = await reauthenticate(actor, req, input, requestMeta(req));
  return json({ ok: true, validForS: 600 }, { headers: { 'set-cookie': sessionCookieHeader(refreshed) } });
});
