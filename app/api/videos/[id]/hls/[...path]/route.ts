import { route } from '@/lib/http/route';
import { serveHls } from '@/lib/videos';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';
type Ctx = { params: Promise<{ id: string; path: string[] }> };

// GET /api/videos/{id}/hls/{master.m3u8 | vN/index.m3u8 | vN/seg_NNN.ts | vN/key | poster.jpg | storyboard.jpg | storyboard.vtt}
// Access: session cookie, or the sealed token `t` from a playback URL (for external players).
export const GET = route<Ctx>(async (req, ctx) => {
  const { id, path } = await ctx.params;
  return serveHls(req, id, path);
});

export const HEAD = GET;
