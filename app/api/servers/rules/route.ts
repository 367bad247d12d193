import { route, readJson } from '@/lib/http/route';
import { json } from '@/lib/http/respond';
import { requireRequestActor, requestMeta } from '@/lib/auth/session';
import { assertCan } from '@/lib/auth/permissions';
import { createRule, listRules, ruleSchema } from '@/lib/servers';

export const dynamic = 'force-dynamic';

// GET /api/servers/rules → { rules, firings }
export const GET = route(async (req) => {
  const actor = await requireRequestActor(req);
  return json(await listRules(actor));
});

// POST /api/servers/rules { kind, name, serverIds?, message?, graceSeconds?, cooldownSeconds?, maxStreams? }
export const POST = route(async (req) => {
  const actor = await requireRequestActor(req);
  assertCan(actor, 'servers:manage');
  const input = ruleSchema.parse(await readJson(req));
  return json(await createRule(actor, input, requestMeta(req)), { status: 201 });
});
