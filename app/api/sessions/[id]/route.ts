import { route, readJson } from '@/lib/http/route';
import { json } from '@/lib/http/respond';
import { requireRequestActor, requestMeta } from '@/lib/auth/session';
import { assertCan } from '@/lib/auth/permissions';
import { terminateSchema, terminateSession } from '@/lib/servers';

export const dynamic = 'force-dynamic';
type Ctx = { params: Promise<{ id: string }> };

// DELETE /api/sessions/{id} { message? } → 202: asks the media server to stop the stream
export const DELETE = route<Ctx>(async (req, { params }) => {
  const actor = await requireRequestActor(req);
  // Roles that may never terminate are refused before the lookup (403, not "not found").
  assertCan(actor, 'sessions:terminate');
  const { message } = terminateSchema.parse(await readJson(req));
  await terminateSession(actor, (await params).id, message, requestMeta(req));
  return json({ terminated: true }, { status: 202 });
});
