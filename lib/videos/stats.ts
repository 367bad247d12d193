// Per-video stats for its owner and admins, built from the player's progress reports (watch events
// grouped into views by viewId): views, unique viewers, watch time, average percent watched, a
// completion histogram in 10 % buckets and plays per day.
import { db } from '../db';
import { forbidden, notFound } from '../http/errors';
import { assertCan } from '../auth/permissions';
import type { UserActor } from '../auth/actor';
import { canEditVideo } from './library';

/**
 * The player reports every 5 s while playing, on pause and on leave: a step forward of at most
 * this many seconds between two reports of one view was watched; a longer one is a seek.
 */
export const MAX_WATCHED_STEP_S = 15;

export interface VideoStats {
  views: number;
  uniqueViewers: number;
  watchTimeS: number;
  avgPercentWatched: number;
  /** Views by the share of the video they covered: [0–10 %, 10–20 %, …, 90–100 %]. */
  completion: number[];
  playsPerDay: { date: string; plays: number }[];
}

interface WatchEvent {
  userId: string;
  viewId: string;
  positionS: number;
  at: Date;
}

/** Total length of a union of [start, end] intervals. */
function coveredSeconds(intervals: [number, number][]): number {
  const sorted = [...intervals].sort((a, b) => a[0] - b[0]);
  let total = 0;
  let curStart = -1;
  let curEnd = -1;
  for (const [s, e] of sorted) {
    if (s > curEnd) {
      if (curEnd > curStart) total += curEnd - curStart;
      curStart = s;
      curEnd = e;
    } else curEnd = Math.max(curEnd, e);
  }
  if (curEnd > curStart) total += curEnd - curStart;
  return total;
}

/** Stats from watch events ordered by view, then time (pure: the unit of the route's numbers). */
export function computeVideoStats(events: WatchEvent[], durationS: number | null): VideoStats {
  const views = new Map<string, { userId: string; start: Date; intervals: [number, number][]; last: number }>();
  for (const e of events) {
    const key = `${e.userId}\u0000${e.viewId}`;
    const v = views.get(key);
    if (!v) {
      views.set(key, { userId: e.userId, start: e.at, intervals: [], last: e.positionS });
      continue;
    }
    const step = e.positionS - v.last;
    if (step > 0 && step <= MAX_WATCHED_STEP_S) v.intervals.push([v.last, e.positionS]);
    v.last = e.positionS;
  }
  const completion = Array.from({ length: 10 }, () => 0);
  const perDay = new Map<string, number>();
  let watchTimeS = 0;
  let pctSum = 0;
  for (const v of views.values()) {
    const covered = coveredSeconds(v.intervals);
    watchTimeS += covered;
    const pct = durationS && durationS > 0 ? Math.min(100, (covered / durationS) * 100) : 0;
    pctSum += pct;
    completion[Math.min(9, Math.floor(pct / 10))]! += 1;
    const day = v.start.toISOString().slice(0, 10);
    perDay.set(day, (perDay.get(day) ?? 0) + 1);
  }
  return {
    views: views.size,
    uniqueViewers: new Set([...views.values()].map((v) => v.userId)).size,
    watchTimeS: Math.round(watchTimeS),
    avgPercentWatched: views.size ? Math.round((pctSum / views.size) * 10) / 10 : 0,
    completion,
    playsPerDay: [...perDay.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([date, plays]) => ({ date, plays })),
  };
}

/** GET /api/videos/{id}/stats: owner or admin; someone who can see the video gets 403, others 404. */
export async function getVideoStats(actor: UserActor, id: string): Promise<VideoStats> {
  assertCan(actor, 'videos:watch');
  const v = await db.video.findUnique({ where: { id }, select: { ownerId: true, status: true, durationS: true } });
  if (!v) throw notFound('Video');
  if (!canEditVideo(actor, v)) {
    if (v.status === 'ready') throw forbidden();
    throw notFound('Video');
  }
  const events = await db.videoWatchEvent.findMany({
    where: { videoId: id },
    orderBy: [{ viewId: 'asc' }, { at: 'asc' }, { id: 'asc' }],
    select: { userId: true, viewId: true, positionS: true, at: true },
  });
  return computeVideoStats(events, v.durationS);
}
