import { route } from '@/lib/http/route';
import { requireRequestActor, requestMeta } from '@/lib/auth/session';
import { AppError } from '@/lib/http/errors';
import { deleteItem } from '@/lib/tracker';

export const dynamic = 'force-dynamic';
type Ctx = { params: Promise<{ id: string; index: string }> };

// DELETE /api/tracker/sessions/{id}/items/{index}: delete one item; later items move up (audited)
export const DELETE = route<Ctx>(async (req, { params }) => {
  const actor = await requireRequestActor(req);
  const { id, index } = await params;
  if (!/^[1-9]\d{0,5}$/.test(index)) throw new AppError('bad_request', 'The item index must be a positive whole number.');
  await deleteItem(actor, id, Number(index), requestMeta(req));
  return new Response(null, { status: 204 });
});
