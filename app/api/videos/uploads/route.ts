import { route, readJson } from '@/lib/http/route';
import { json } from '@/lib/http/respond';
import { requireRequestActor, requestMeta } from '@/lib/auth/session';
import { assertCan } from '@/lib/auth/permissions';
import { createUploadSchema, createUploadSession } from '@/lib/videos/resumable';

export const dynamic = 'force-dynamic';

// POST /api/videos/uploads: start a resumable upload { title, sizeBytes, description?, category?, tags?, people? }
export const POST = route(async (req) => {
  const actor = await requireRequestActor(req);
  assertCan(actor, 'videos:upload');
  const input = createUploadSchema.parse(await readJson(req));
  return json(await createUploadSession(actor, input, requestMeta(req)), { status: 201 });
});
