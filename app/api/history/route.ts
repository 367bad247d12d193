import { route } from '@/lib/http/route';
import { json } from '@/lib/http/respond';
import { requireRequestActor } from '@/lib/auth/session';
import { assertCan } from '@/lib/auth/permissions';
import { historyQuerySchema, listPlays } from '@/lib/history/read';

export const dynamic = 'force-dynamic';

// GET /api/history: plays the caller may see, filtered, newest first, keyset pages (nextCursor)
export const GET = route(async (req) => {
  const actor = await requireRequestActor(req);
  assertCan(actor, 'history:view');
  const q = historyQuerySchema.parse(Object.fromEntries(new URL(req.url).searchParams));
  return json(await listPlays(actor, q));
});
