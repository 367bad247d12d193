import { route } from '@/lib/http/route';
import { AppError } from '@/lib/http/errors';
import { requireRequestActor } from '@/lib/auth/session';
import { getServerOrThrow, providerForServer } from '@/lib/servers';

export const dynamic = 'force-dynamic';
type Ctx = { params: Promise<{ id: string }> };

// GET /api/servers/{id}/poster?thumb=…: poster art fetched with the server's token, which never reaches the browser
export const GET = route<Ctx>(async (req, { params }) => {
  const actor = await requireRequestActor(req);
  const server = await getServerOrThrow(actor, (await params).id);
  const thumb = new URL(req.url).searchParams.get('thumb');
  if (!thumb || thumb.length > 512 || thumb.includes('..') || /^[a-z]+:/i.test(thumb)) throw new AppError('bad_request', 'A valid thumb is required.');
  try {
    const img = await providerForServer(server).fetchImage(thumb);
    if (!img.contentType.startsWith('image/')) throw new Error('not an image');
    return new Response(img.body, { headers: { 'Content-Type': img.contentType, 'Cache-Control': 'private, max-age=3600', 'X-Content-Type-Options': 'nosniff' } });
  } catch {
    return new Response(null, { status: 404 });
  }
});
