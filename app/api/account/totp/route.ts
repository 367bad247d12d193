import { route, readJson } from '@/lib/http/route';
import { json } from '@/lib/http/respond';
import { requireRecentAuth, requireRequestActor, requestMeta } from '@/lib/auth/session';
import { totpConfirmSchema, totpDisableSchema } from '@/lib/users/schemas';
import { beginTotpEnrollment, confirmTotpEnrollment, disableTotp, isTotpEnabled, remainingRecoveryCodes } from '@/lib/auth/totp';

export const dynamic = 'force-dynamic';

// GET /api/account/totp: whether TOTP is on and how many recovery codes are left
export const GET = route(async (req) => {
  const actor = await requireRequestActor(req);
  return json({ enabled: await isTotpEnabled(actor.id), recoveryCodesLeft: await remainingRecoveryCodes(actor.id) });
});

// Enrolling and turning off need a sign-in within 10 minutes (403 reauth_required; POST /api/account/reauth).
// POST /api/account/totp: start enrolment → { secret, uri, qrDataUrl }
export const POST = route(async (req) => {
  const actor = await requireRequestActor(req);
  requireRecentAuth(actor);
  return json(await beginTotpEnrollment(actor, requestMeta(req)));
});

// PUT /api/account/totp { code }: confirm enrolment → { recoveryCodes } (shown once)
export const PUT = route(async (req) => {
  const actor = await requireRequestActor(req);
  requireRecentAuth(actor);
  const { code } = totpConfirmSchema.parse(await readJson(req));
  return json(await confirmTotpEnrollment(actor, code, requestMeta(req)));
});

// DELETE /api/account/totp { password, code }: turn TOTP off
export const DELETE = route(async (req) => {
  const actor = await requireRequestActor(req);
  requireRecentAuth(actor);
  const { password, code } = totpDisableSchema.parse(await readJson(req));
  await disableTotp(actor, password, code, requestMeta(req));
  return new Response(null, { status: 204 });
});
