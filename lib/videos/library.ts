// Library reads and edits: the API view of a video, ranked full-text search with filters,
// metadata edits and deletion (owner or admin), favorites and watch progress.
import fs from 'node:fs';
import { db } from '../db';
import { AppError, forbidden, notFound } from '../http/errors';
import { assertCan, can } from '../auth/permissions';
import { recordAudit } from '../audit/record';
import type { RequestMeta, UserActor } from '../auth/actor';
import { Prisma } from '@/generated/prisma/client';
import { publishedDir, sourcePath } from './paths';
import { sealPlaybackToken } from './tokens';
import { buildSearchText } from './search-text';
import { transcodeJob } from './jobs';
import type { ListQuery, UpdateVideoInput } from './schemas';

export { listQuerySchema, progressSchema, updateVideoSchema, type ListQuery } from './schemas';

export interface VideoView {
  id: string;
  title: string;
  description: string;
  category: string | null;
  tags: string[];
  people: string[];
  status: 'pending' | 'processing' | 'ready' | 'failed';
  progress: number;
  failureReason: string | null;
  durationS: number | null;
  width: number | null;
  height: number | null;
  ownerId: string;
  createdAt: string;
  renditions: { height: number; width: number; bandwidth: number }[];
  playbackUrl: string | null;
  posterUrl: string | null;
  storyboardUrl: string | null;
  favorite: boolean;
  positionS: number | null;
  canEdit: boolean;
}

export function canEditVideo(actor: UserActor, video: { ownerId: string }): boolean {
  return actor.role === 'admin' || (can(actor, 'videos:upload') && video.ownerId === actor.id);
}

/** Non-uploaders see ready videos only; uploaders also see their own in any state; admins all. */
function visibility(actor: UserActor): Prisma.VideoWhereInput {
  if (actor.role === 'admin') return {};
  if (can(actor, 'videos:upload')) return { OR: [{ status: 'ready' }, { ownerId: actor.id }] };
  return { status: 'ready' };
}

export async function getVideo(actor: UserActor, id: string): Promise<VideoView> {
  assertCan(actor, 'videos:watch');
  const v = await db.video.findFirst({
    where: { id, ...visibility(actor) },
    include: {
      renditions: { orderBy: { height: 'desc' } },
      favorites: { where: { userId: actor.id } },
      progresses: { where: { userId: actor.id } },
    },
  });
  if (!v) throw notFound('Video');
  const ready = v.status === 'ready';
  const base = `/api/videos/${v.id}/hls`;
  const token = ready ? await sealPlaybackToken(v.id, actor.id) : null;
  const q = token ? `?t=${encodeURIComponent(token)}` : '';
  return {
    id: v.id,
    title: v.title,
    description: v.description,
    category: v.category,
    tags: v.tags,
    people: v.people,
    status: v.status,
    progress: v.progress,
    failureReason: v.status === 'failed' && canEditVideo(actor, v) ? v.failureReason : null,
    durationS: v.durationS,
    width: v.width,
    height: v.height,
    ownerId: v.ownerId,
    createdAt: v.createdAt.toISOString(),
    renditions: v.renditions.map((r) => ({ height: r.height, width: r.width, bandwidth: r.bandwidth })),
    playbackUrl: ready ? `${base}/master.m3u8${q}` : null,
    posterUrl: ready ? `${base}/poster.jpg${q}` : null,
    storyboardUrl: ready ? `${base}/storyboard.vtt${q}` : null,
    favorite: v.favorites.length > 0,
    positionS: v.progresses[0]?.positionS ?? null,
    canEdit: canEditVideo(actor, v),
  };
}


export interface VideoCard {
  id: string;
  title: string;
  status: VideoView['status'];
  progress: number;
  failureReason: string | null;
  durationS: number | null;
  category: string | null;
  tags: string[];
  createdAt: string;
  posterUrl: string | null;
  positionS: number | null;
  favorite: boolean;
}

export async function listVideos(actor: UserActor, query: ListQuery): Promise<{ items: VideoCard[]; total: number; page: number; pageSize: number }> {
  assertCan(actor, 'videos:watch');
  const and: Prisma.VideoWhereInput[] = [visibility(actor)];
  if (query.category) and.push({ category: { equals: query.category, mode: 'insensitive' } });
  if (query.tags?.length) and.push({ tags: { hasEvery: query.tags } });
  if (query.people?.length) and.push({ people: { hasEvery: query.people } });
  if (query.status && can(actor, 'videos:upload')) and.push({ status: query.status });
  if (query.minDuration !== undefined) and.push({ durationS: { gte: query.minDuration } });
  if (query.maxDuration !== undefined) and.push({ durationS: { lte: query.maxDuration } });
  if (query.from) and.push({ createdAt: { gte: query.from } });
  if (query.to) and.push({ createdAt: { lte: query.to } });
  if (query.view === 'favorites') and.push({ favorites: { some: { userId: actor.id } } });
  if (query.view === 'continue') and.push({ progresses: { some: { userId: actor.id, positionS: { gt: 5 } } } });
  if (query.view === 'mine') and.push({ ownerId: actor.id });

  // Full-text: the ids of every match in rank order, from PostgreSQL (the GIN expression index of
  // the videos migration). Ids only, so a broad query over a big library stays cheap, and the
  // filters below apply to all of them (no top-N cut that could hide filtered matches).
  let rankedIds: string[] | null = null;
  if (query.q) {
    const rows = await db.$queryRaw<{ id: string }[]>`
      SELECT id FROM "Video"
      WHERE (setweight(to_tsvector('simple', "title"), 'A') || setweight(to_tsvector('simple', "searchText"), 'B'))
            @@ websearch_to_tsquery('simple', ${query.q})
      ORDER BY ts_rank(setweight(to_tsvector('simple', "title"), 'A') || setweight(to_tsvector('simple', "searchText"), 'B'),
                       websearch_to_tsquery('simple', ${query.q})) DESC, "createdAt" DESC, id`;
    rankedIds = rows.map((r) => r.id);
    and.push({ id: { in: rankedIds } });
  }
  const where: Prisma.VideoWhereInput = { AND: and };
  const sort = query.sort ?? (query.q ? 'relevance' : query.view === 'continue' ? 'relevance' : 'newest');
  const orderBy: Prisma.VideoOrderByWithRelationInput[] =
    sort === 'oldest' ? [{ createdAt: 'asc' }] : sort === 'title' ? [{ title: 'asc' }] : sort === 'duration' ? [{ durationS: 'desc' }] : [{ createdAt: 'desc' }];
  orderBy.push({ id: 'asc' }); // a total order, so pages neither repeat nor skip rows

  const include = { favorites: { where: { userId: actor.id } }, progresses: { where: { userId: actor.id } } } as const;
  let total: number;
  let rows;
  if (sort === 'relevance' && rankedIds) {
    // The filters pick which matches remain; the rank order picks the page; one read of its rows.
    const kept = new Set((await db.video.findMany({ where, select: { id: true } })).map((v) => v.id));
    const ordered = rankedIds.filter((id) => kept.has(id));
    total = ordered.length;
    const pageIds = ordered.slice((query.page - 1) * query.pageSize, query.page * query.pageSize);
    const pos = new Map(pageIds.map((id, i) => [id, i]));
    rows = (await db.video.findMany({ where: { id: { in: pageIds } }, include })).sort((a, b) => pos.get(a.id)! - pos.get(b.id)!);
  } else if (sort === 'relevance' && query.view === 'continue') {
    // Most recently watched first, one page read from the (userId, updatedAt) index.
    total = await db.video.count({ where });
    const watched = await db.videoProgress.findMany({
      where: { userId: actor.id, video: where },
      orderBy: { updatedAt: 'desc' },
      skip: (query.page - 1) * query.pageSize,
      take: query.pageSize,
      select: { video: { include } },
    });
    rows = watched.map((p) => p.video);
  } else {
    total = await db.video.count({ where });
    rows = await db.video.findMany({ where, include, orderBy, skip: (query.page - 1) * query.pageSize, take: query.pageSize });
  }
  return {
    total,
    page: query.page,
    pageSize: query.pageSize,
    items: rows.map((v) => ({
      id: v.id,
      title: v.title,
      status: v.status,
      progress: v.progress,
      failureReason: v.status === 'failed' && canEditVideo(actor, v) ? v.failureReason : null,
      durationS: v.durationS,
      category: v.category,
      tags: v.tags,
      createdAt: v.createdAt.toISOString(),
      posterUrl: v.status === 'ready' ? `/api/videos/${v.id}/hls/poster.jpg` : null,
      positionS: v.progresses[0]?.positionS ?? null,
      favorite: v.favorites.length > 0,
    })),
  };
}


async function editable(actor: UserActor, id: string) {
  const v = await db.video.findUnique({ where: { id } });
  if (!v) throw notFound('Video');
  if (!canEditVideo(actor, v)) {
    // Someone who may see the video but not edit it gets 403; others do not learn it exists.
    if (v.status === 'ready' || actor.role === 'admin') throw forbidden();
    throw notFound('Video');
  }
  return v;
}

export async function updateVideo(actor: UserActor, id: string, input: UpdateVideoInput, meta?: RequestMeta) {
  const v = await editable(actor, id);
  const next = { ...v, ...input };
  await db.video.update({ where: { id }, data: { ...input, searchText: buildSearchText(next) } });
  await recordAudit({ actor, action: 'video.update', target: { type: 'video', id }, meta, detail: { fields: Object.keys(input) } });
  return getVideo(actor, id);
}

export async function deleteVideo(actor: UserActor, id: string, meta?: RequestMeta): Promise<void> {
  const v = await editable(actor, id);
  await db.video.delete({ where: { id } });
  fs.rmSync(publishedDir(id), { recursive: true, force: true });
  fs.rmSync(sourcePath(id), { force: true });
  await recordAudit({ actor, action: 'video.delete', target: { type: 'video', id }, meta, detail: { title: v.title } });
}

export async function retryVideo(actor: UserActor, id: string, meta?: RequestMeta) {
  const v = await editable(actor, id);
  if (v.status !== 'failed') throw new AppError('conflict', 'Only a failed video can be retried.');
  await db.video.update({ where: { id }, data: { status: 'pending', progress: 0, failureReason: null } });
  await transcodeJob.enqueue({ videoId: id });
  await recordAudit({ actor, action: 'video.retry', target: { type: 'video', id }, meta });
}

async function watchable(actor: UserActor, id: string) {
  assertCan(actor, 'videos:watch');
  const v = await db.video.findFirst({ where: { id, ...visibility(actor) }, select: { id: true, durationS: true } });
  if (!v) throw notFound('Video');
  return v;
}

export async function setFavorite(actor: UserActor, id: string, on: boolean): Promise<{ favorite: boolean }> {
  await watchable(actor, id);
  if (on) {
    await db.videoFavorite.upsert({ where: { userId_videoId: { userId: actor.id, videoId: id } }, create: { userId: actor.id, videoId: id }, update: {} });
  } else {
    await db.videoFavorite.deleteMany({ where: { userId: actor.id, videoId: id } });
  }
  await recordAudit({ actor, action: on ? 'video.favorite' : 'video.unfavorite', target: { type: 'video', id } });
  return { favorite: on };
}

export async function saveProgress(actor: UserActor, id: string, positionS: number): Promise<{ positionS: number }> {
  const v = await watchable(actor, id);
  const pos = v.durationS ? Math.min(positionS, v.durationS) : positionS;
  await db.videoProgress.upsert({
    where: { userId_videoId: { userId: actor.id, videoId: id } },
    create: { userId: actor.id, videoId: id, positionS: pos },
    update: { positionS: pos },
  });
  return { positionS: pos };
}
