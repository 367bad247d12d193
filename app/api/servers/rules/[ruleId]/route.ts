import { route, readJson } from '@/lib/http/route';
import { json } from '@/lib/http/respond';
import { requireRequestActor, requestMeta } from '@/lib/auth/session';
import { assertCan } from '@/lib/auth/permissions';
import { deleteRule, ruleSchema, updateRule } from '@/lib/servers';

export const dynamic = 'force-dynamic';
type Ctx = { params: Promise<{ ruleId: string }> };

// PATCH /api/servers/rules/{ruleId}
export const PATCH = route<Ctx>(async (req, { params }) => {
  const actor = await requireRequestActor(req);
  assertCan(actor, 'servers:manage');
  const input = ruleSchema.partial().parse(await readJson(req));
  return json(await updateRule(actor, (await params).ruleId, input, requestMeta(req)));
});

// DELETE /api/servers/rules/{ruleId}
export const DELETE = route<Ctx>(async (req, { params }) => {
  const actor = await requireRequestActor(req);
  await deleteRule(actor, (await params).ruleId, requestMeta(req));
  return new Response(null, { status: 204 });
});
