import { route, readJson } from '@/lib/http/route';
import { json } from '@/lib/http/respond';
import { requireRecentAuth, requireRequestActor, requestMeta } from '@/lib/auth/session';
import { createApiToken, createTokenSchema, listApiTokens } from '@/lib/auth/tokens';
import { enforceRateLimit, POLICIES } from '@/lib/rate-limit';

export const dynamic = 'force-dynamic';

// GET /api/tokens: the caller's own tokens (never the secret)
export const GET = route(async (req) => {
  const actor = await requireRequestActor(req);
  return json({ tokens: await listApiTokens(actor) });
});

// POST /api/tokens { name, expiresAt?, scopes? } → 201 { id, name, token } (the token is shown only here).
// Needs a sign-in within 10 minutes: a stolen session (or token) must not mint itself a lasting token.
export const POST = route(async (req) => {
  const actor = await requireRequestActor(req);
  requireRecentAuth(actor);
  await enforceRateLimit(`user:${actor.id}`, POLICIES.tokenCreate);
  const input = createTokenSchema.parse(await readJson(req));
  const t = await createApiToken(actor, input, requestMeta(req));
  return json({ id: t.id, name: t.name, token: t.token, prefix: t.prefix, expiresAt: t.expiresAt, scopes: t.scopes, createdAt: t.createdAt }, { status: 201 });
});
