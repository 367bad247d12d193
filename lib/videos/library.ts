// Library reads and edits: the API view of a video, ranked full-text search with filters,
// metadata edits and deletion (owner or admin), favorites and watch progress.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { db } from '../db';
import { AppError, forbidden, notFound } from '../http/errors';
import { assertCan, can } from '../auth/permissions';
import { recordAudit } from '../audit/record';
import type { RequestMeta, UserActor } from '../auth/actor';
import { Prisma } from '@/generated/prisma/client';
import { publishedDir, sourcePath, workRoot } from './paths';
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
  /** The playbackUrl is the growing stream of a video still transcoding (EVENT playlists). */
  live: boolean;
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
  // A processing video is watchable once every rung of its growing stream has a first segment.
  const live = v.status === 'processing' && v.liveAttempt !== null && v.liveAt !== null;
  const base = `/api/videos/${v.id}/hls`;
  const token = ready || live ? await sealPlaybackToken(v.id, actor.id) : null;
  // While live, the rungs are those of the growing stream (nominal bandwidths until measured).
  const renditions = live
    ? await db.videoLiveKey.findMany({ where: { videoId: v.id, attempt: v.liveAttempt! }, orderBy: { height: 'desc' }, select: { height: true, width: true, bandwidth: true } })
    : v.renditions.map((r) => ({ height: r.height, width: r.width, bandwidth: r.bandwidth }));
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
    renditions,
    playbackUrl: ready || live ? `${base}/master.m3u8${q}` : null,
    live,
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

/**
 * People whose videos the caller may filter by: accounts that have uploaded at least one video
 * (one index probe per account on (ownerId, createdAt), not a scan of the library).
 */
export async function listUploaders(actor: UserActor): Promise<{ id: string; name: string }[]> {
  assertCan(actor, 'videos:watch');
  return db.$queryRaw<{ id: string; name: string }[]>`
    SELECT u.id, u.name FROM "User" u
    WHERE EXISTS (SELECT 1 FROM "Video" v WHERE v."ownerId" = u.id)
    ORDER BY u.name, u.id LIMIT 500`;
}

/**
 * The words of a search as a prefix tsquery: "surg bas" → `surg:* & bas:*` (every word must start a
 * word of the video). Only letters and digits reach to_tsquery, so its syntax cannot be injected.
 */
export function prefixTsQuery(q: string): string | null {
  const words = q.toLowerCase().match(/[\p{L}\p{N}]+/gu)?.slice(0, 16) ?? [];
  return words.length ? words.map((w) => `${w}:*`).join(' & ') : null;
}

/** The list filters as SQL on "Video" v (the search path; the same rules as the Prisma filters). */
function filterSql(actor: UserActor, query: ListQuery): Prisma.Sql[] {
  const c: Prisma.Sql[] = [Prisma.sql`TRUE`];
  if (actor.role !== 'admin') {
    c.push(can(actor, 'videos:upload') ? Prisma.sql`(v.status = 'ready' OR v."ownerId" = ${actor.id})` : Prisma.sql`v.status = 'ready'`);
  }
  if (query.category) c.push(Prisma.sql`lower(v.category) = lower(${query.category})`);
  if (query.tags?.length) c.push(Prisma.sql`v.tags @> ${query.tags}::text[]`);
  if (query.people?.length) c.push(Prisma.sql`v.people @> ${query.people}::text[]`);
  if (query.status && can(actor, 'videos:upload')) c.push(Prisma.sql`v.status = ${query.status}::"VideoStatus"`);
  if (query.minDuration !== undefined) c.push(Prisma.sql`v."durationS" >= ${query.minDuration}`);
  if (query.maxDuration !== undefined) c.push(Prisma.sql`v."durationS" <= ${query.maxDuration}`);
  if (query.from) c.push(Prisma.sql`v."createdAt" >= ${query.from}`);
  if (query.to) c.push(Prisma.sql`v."createdAt" <= ${query.to}`);
  if (query.uploader) c.push(Prisma.sql`v."ownerId" = ${query.uploader}`);
  if (query.view === 'favorites') c.push(Prisma.sql`EXISTS (SELECT 1 FROM "VideoFavorite" f WHERE f."videoId" = v.id AND f."userId" = ${actor.id})`);
  if (query.view === 'continue') c.push(Prisma.sql`EXISTS (SELECT 1 FROM "VideoProgress" p WHERE p."videoId" = v.id AND p."userId" = ${actor.id} AND p."positionS" > 5)`);
  if (query.view === 'recent') c.push(Prisma.sql`EXISTS (SELECT 1 FROM "VideoProgress" p WHERE p."videoId" = v.id AND p."userId" = ${actor.id})`);
  if (query.view === 'mine') c.push(Prisma.sql`v."ownerId" = ${actor.id}`);
  return c;
}

/** The match count when the requested page is past the last one (the window count saw no row). */
async function countMatches(actor: UserActor, query: ListQuery, tsQuery: string): Promise<number> {
  const [r] = await db.$queryRaw<{ n: bigint }[]>`
    SELECT count(*) AS n FROM "Video" v, to_tsquery('simple', ${tsQuery}) tq
    WHERE v."searchVector" @@ tq AND ${Prisma.join(filterSql(actor, query), ' AND ')}`;
  return Number(r?.n ?? 0);
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
  if (query.uploader) and.push({ ownerId: query.uploader });
  if (query.view === 'recent') and.push({ progresses: { some: { userId: actor.id } } });

  const include = { favorites: { where: { userId: actor.id } }, progresses: { where: { userId: actor.id } } } as const;
  // PostgreSQL text cannot hold NUL: refused like any other text carrying one (the words alone would drop it).
  if (query.q?.includes('\u0000')) throw new AppError('bad_request', 'Text must not contain NUL characters.');
  const tsQuery = query.q ? prefixTsQuery(query.q) : null;
  const where: Prisma.VideoWhereInput = { AND: and };
  const sort = query.sort ?? (query.q ? 'relevance' : query.view === 'continue' || query.view === 'recent' ? 'relevance' : 'newest');
  const orderBy: Prisma.VideoOrderByWithRelationInput[] =
    sort === 'oldest' ? [{ createdAt: 'asc' }] : sort === 'title' ? [{ title: 'asc' }] : sort === 'duration' ? [{ durationS: 'desc' }] : [{ createdAt: 'desc' }];
  orderBy.push({ id: 'asc' }); // a total order, so pages neither repeat nor skip rows

  let total: number;
  let rows;
  if (query.q && !tsQuery) {
    // Nothing searchable was typed (only punctuation): no match, rather than everything.
    total = 0;
    rows = [] as Awaited<ReturnType<typeof db.video.findMany<{ include: typeof include }>>>;
  } else if (tsQuery) {
    // Full-text with word prefixes, the filters and one page in one statement over the stored
    // search vector (GIN index): no list of every match leaves PostgreSQL.
    const order =
      sort === 'relevance'
        ? Prisma.sql`ts_rank(v."searchVector", tq) DESC, v."createdAt" DESC, v.id`
        : sort === 'oldest'
          ? Prisma.sql`v."createdAt" ASC, v.id`
          : sort === 'title'
            ? Prisma.sql`v.title ASC, v.id`
            : sort === 'duration'
              ? Prisma.sql`v."durationS" DESC NULLS LAST, v.id`
              : Prisma.sql`v."createdAt" DESC, v.id`;
    const found = await db.$queryRaw<{ id: string; total: bigint }[]>`
      SELECT v.id, count(*) OVER () AS total
      FROM "Video" v, to_tsquery('simple', ${tsQuery}) tq
      WHERE v."searchVector" @@ tq AND ${Prisma.join(filterSql(actor, query), ' AND ')}
      ORDER BY ${order}
      LIMIT ${query.pageSize} OFFSET ${(query.page - 1) * query.pageSize}`;
    total = found.length ? Number(found[0]!.total) : query.page > 1 ? await countMatches(actor, query, tsQuery) : 0;
    const pos = new Map(found.map((r, i) => [r.id, i]));
    rows = (await db.video.findMany({ where: { id: { in: [...pos.keys()] } }, include })).sort((a, b) => pos.get(a.id)! - pos.get(b.id)!);
  } else if (sort === 'relevance' && (query.view === 'continue' || query.view === 'recent')) {
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
  // A processing video's staging areas (its growing stream): a running job fails on its own.
  if (fs.existsSync(workRoot())) for (const n of fs.readdirSync(workRoot())) if (n.startsWith(`${id}-`)) fs.rmSync(path.join(workRoot(), n), { recursive: true, force: true });
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

/** Reports of one user more than this far apart without a viewId belong to different views. */
const VIEW_GAP_MS = 30 * 60_000;

/**
 * Stores the caller's resume position and the report itself (a watch event of the view `viewId`,
 * the player's id for one playback; without it, the user's last view of this video continues if
 * it reported within 30 minutes). Events feed the per-video stats and "recently watched".
 */
export async function saveProgress(actor: UserActor, id: string, positionS: number, viewId?: string): Promise<{ positionS: number }> {
  const v = await watchable(actor, id);
  const pos = v.durationS ? Math.min(positionS, v.durationS) : positionS;
  let view = viewId;
  if (!view) {
    const last = await db.videoWatchEvent.findFirst({ where: { videoId: id, userId: actor.id }, orderBy: { at: 'desc' }, select: { viewId: true, at: true } });
    view = last && Date.now() - last.at.getTime() < VIEW_GAP_MS ? last.viewId : `srv-${randomBytes(8).toString('hex')}`;
  }
  await db.$transaction([
    db.videoProgress.upsert({
      where: { userId_videoId: { userId: actor.id, videoId: id } },
      create: { userId: actor.id, videoId: id, positionS: pos },
      update: { positionS: pos },
    }),
    db.videoWatchEvent.create({ data: { videoId: id, userId: actor.id, viewId: view, positionS: pos } }),
  ]);
  return { positionS: pos };
}
