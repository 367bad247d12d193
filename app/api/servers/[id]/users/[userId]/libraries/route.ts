import { route, readJson } from '@/lib/http/route';
import { json } from '@/lib/http/respond';
import { requireRequestActor, requestMeta } from '@/lib/auth/session';
import { assertCan } from '@/lib/auth/permissions';
import { getUserLibraryAccess, libraryAccessSchema, setUserLibraryAccess } from '@/lib/servers';

export const dynamic = 'force-dynamic';
type Ctx = { params: Promise<{ id: string; userId: string }> };

// GET /api/servers/{id}/users/{userId}/libraries → { allLibraries, libraryIds }
export const GET = route<Ctx>(async (req, { params }) => {
  const actor = await requireRequestActor(req);
  const { id, userId } = await params;
  return json(await getUserLibraryAccess(actor, id, userId));
});

// PUT /api/servers/{id}/users/{userId}/libraries { allLibraries, libraryIds }
export const PUT = route<Ctx>(async (req, { params }) => {
  const actor = await requireRequestActor(req);
  assertCan(actor, 'media-users:manage');
  const { id, userId } = await params;
  const input = libraryAccessSchema.parse(await readJson(req));
  return json(await setUserLibraryAccess(actor, id, userId, input, requestMeta(req)));
});
