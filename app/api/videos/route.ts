import { route } from '@/lib/http/route';
import { json } from '@/lib/http/respond';
import { requireRequestActor, requestMeta } from '@/lib/auth/session';
import { assertCan } from '@/lib/auth/permissions';
import { env } from '@/lib/env';
import { receiveMultipart } from '@/lib/videos/multipart';
import { ingestUpload, videoMetaSchema } from '@/lib/videos/ingest';
import { assertUploadAllowed } from '@/lib/videos/quota';
import { listQuerySchema, listVideos } from '@/lib/videos/library';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

// GET /api/videos: search and browse (q, category, tags, people, duration and date ranges, view, sort, page)
export const GET = route(async (req) => {
  const actor = await requireRequestActor(req);
  const sp = new URL(req.url).searchParams;
  const raw: Record<string, string | string[]> = {};
  for (const key of new Set(sp.keys())) {
    const all = sp.getAll(key);
    raw[key] = all.length > 1 ? all : all[0]!;
  }
  return json(await listVideos(actor, listQuerySchema.parse(raw)));
});

const list = (v: string | undefined) => (v ? v.split(',').map((s) => s.trim()).filter(Boolean) : []);

// POST /api/videos: one-request upload (multipart `file` + `title`, optional description/category/tags/people)
export const POST = route(async (req) => {
  const actor = await requireRequestActor(req);
  assertCan(actor, 'videos:upload');
  await assertUploadAllowed(actor, Number(req.headers.get('content-length')) || 0);
  const { file, fields } = await receiveMultipart(req, env.VIDEO_MAX_UPLOAD_BYTES);
  let meta;
  try {
    meta = videoMetaSchema.parse({
      title: fields.title,
      description: fields.description ?? '',
      category: fields.category || null,
      tags: list(fields.tags),
      people: list(fields.people),
    });
  } catch (err) {
    (await import('node:fs')).rmSync(file.path, { force: true });
    throw err;
  }
  const result = await ingestUpload(actor, file, meta, { meta: requestMeta(req) });
  return result.duplicate
    ? json({ id: result.id, status: result.status, duplicate: true }, { status: 200 })
    : json({ id: result.id, status: result.status }, { status: 201 });
});
