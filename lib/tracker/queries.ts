// Reads and edits of the caller's own tracker data. Every query carries `userId: actor.id`, so a
// session of someone else is simply not found (tracker data is personal, admins included).
import { db } from '../db';
import { AppError, notFound } from '../http/errors';
import { recordAudit } from '../audit/record';
import type { RequestMeta, UserActor } from '../auth/actor';
import { formatMmss } from './state-machine';
import { combinePace, isGhostItem, summarizeItems, type PaceStats } from './summary';
import { bucketByHour, dayWindow, parseDay, safeTimezone } from './day-buckets';

type Tx = Parameters<Parameters<typeof db.$transaction>[0]>[0];

const sec = (ms: number) => ms / 1000;

function serializeItem(i: { index: number; startedAt: Date; endedAt: Date; rawMs: number; activeMs: number; pausedMs: number }) {
  return {
    index: i.index,
    startedAt: i.startedAt.toISOString(),
    endedAt: i.endedAt.toISOString(),
    rawS: sec(i.rawMs),
    activeS: sec(i.activeMs),
    pausedS: sec(i.pausedMs),
    rawMmss: formatMmss(sec(i.rawMs)),
    activeMmss: formatMmss(sec(i.activeMs)),
    ghost: isGhostItem(i),
  };
}

async function findOwnSession(actor: UserActor, id: string, tx: Pick<Tx, 'trackerSession'> = db) {
  const s = await tx.trackerSession.findFirst({ where: { AND: [{ id }, { userId: actor.id }] } });
  if (!s) throw notFound('Tracker session');
  return s;
}

export async function getSessionSummary(actor: UserActor, id: string) {
  const s = await findOwnSession(actor, id);
  const items = await db.trackerItem.findMany({ where: { sessionId: s.id }, orderBy: { index: 'asc' } });
  const stats = summarizeItems(items, s.targetS);
  return {
    id: s.id,
    startedAt: s.startedAt.toISOString(),
    endedAt: s.endedAt?.toISOString() ?? null,
    open: s.endedAt === null,
    paused: s.pausedAt !== null,
    currentStartedAt: s.currentStartedAt?.toISOString() ?? null,
    ...stats,
    /** Counted (non-ghost) items; `items` lists every closed item, ghosts flagged. */
    itemCount: stats.items,
    items: items.map(serializeItem),
  };
}

export type SessionSummary = Awaited<ReturnType<typeof getSessionSummary>>;

export async function listRecentSessions(actor: UserActor, limit: number) {
  const sessions = await db.trackerSession.findMany({ where: { userId: actor.id }, orderBy: { startedAt: 'desc' }, take: limit });
  const items = await db.trackerItem.findMany({ where: { sessionId: { in: sessions.map((s) => s.id) } }, select: { sessionId: true, rawMs: true, activeMs: true } });
  return sessions.map((s) => {
    const stats = summarizeItems(items.filter((i) => i.sessionId === s.id), s.targetS);
    return { id: s.id, startedAt: s.startedAt.toISOString(), endedAt: s.endedAt?.toISOString() ?? null, open: s.endedAt === null, ...stats };
  });
}

export async function updateSessionTarget(actor: UserActor, id: string, targetS: number, meta: RequestMeta) {
  const s = await findOwnSession(actor, id);
  await db.trackerSession.update({ where: { id: s.id }, data: { targetS } });
  await recordAudit({ actor, action: 'tracker.session_target_changed', target: { type: 'tracker_session', id: s.id }, meta, detail: { from: s.targetS, to: targetS } });
  return getSessionSummary(actor, id);
}

export async function deleteSession(actor: UserActor, id: string, meta: RequestMeta): Promise<void> {
  await db.$transaction(async (tx) => {
    const s = await findOwnSession(actor, id, tx);
    const items = await tx.trackerItem.count({ where: { sessionId: s.id } });
    await tx.trackerSession.delete({ where: { id: s.id } });
    await recordAudit({ actor, action: 'tracker.session_deleted', target: { type: 'tracker_session', id: s.id }, meta, detail: { items, startedAt: s.startedAt } }, tx);
  });
}

/** Deletes one closed item; later items move up one place so indexes stay 1…n. */
export async function deleteItem(actor: UserActor, id: string, index: number, meta: RequestMeta): Promise<void> {
  await db.$transaction(async (tx) => {
    const s = await findOwnSession(actor, id, tx);
    await tx.$queryRaw`SELECT 1 AS locked FROM pg_advisory_xact_lock(hashtextextended(${`tracker:${actor.id}`}, 0))`;
    const item = await tx.trackerItem.findUnique({ where: { sessionId_index: { sessionId: s.id, index } } });
    if (!item) throw notFound('Tracker item');
    await tx.trackerItem.delete({ where: { id: item.id } });
    // Two steps: a single "index - 1" update could collide with the unique (sessionId, index) mid-way.
    await tx.trackerItem.updateMany({ where: { sessionId: s.id, index: { gt: index } }, data: { index: { multiply: -1 } } });
    await tx.trackerItem.updateMany({ where: { sessionId: s.id, index: { lt: 0 } }, data: { index: { multiply: -1 } } });
    await tx.trackerItem.updateMany({ where: { sessionId: s.id, index: { gt: index } }, data: { index: { decrement: 1 } } });
    await recordAudit({ actor, action: 'tracker.item_deleted', target: { type: 'tracker_session', id: s.id }, meta, detail: { index, rawS: sec(item.rawMs), activeS: sec(item.activeMs) } }, tx);
  });
}

function timezoneOf(actor: UserActor): string {
  return safeTimezone(actor.timezone);
}

export async function getDayView(actor: UserActor, date: string) {
  const tz = timezoneOf(actor);
  const w = dayWindow(date, tz);
  if (!w) throw new AppError('bad_request', 'The date must be a real calendar day as YYYY-MM-DD.');
  const items = await db.trackerItem.findMany({
    where: { userId: actor.id, endedAt: { gte: new Date(w.startMs), lt: new Date(w.endMs) } },
    orderBy: { endedAt: 'asc' },
    include: { session: { select: { id: true, targetS: true, startedAt: true, endedAt: true } } },
  });
  const hours = bucketByHour(w, items.map((i) => ({ endedAt: i.endedAt.getTime(), rawMs: i.rawMs, activeMs: i.activeMs })));
  const bySession = new Map<string, { session: (typeof items)[number]['session']; rows: typeof items }>();
  for (const i of items) {
    const e = bySession.get(i.sessionId) ?? { session: i.session, rows: [] };
    e.rows.push(i);
    bySession.set(i.sessionId, e);
  }
  const sessions = [...bySession.values()].map(({ session, rows }) => ({
    id: session.id,
    startedAt: session.startedAt.toISOString(),
    endedAt: session.endedAt?.toISOString() ?? null,
    stats: summarizeItems(rows, session.targetS),
  }));
  const day: PaceStats = combinePace(sessions);
  return {
    date,
    timezone: tz,
    start: new Date(w.startMs).toISOString(),
    end: new Date(w.endMs).toISOString(),
    hours,
    sessions: sessions.map((s) => ({ id: s.id, startedAt: s.startedAt, endedAt: s.endedAt, ...s.stats })),
    ...day,
    activeS: day.totalActiveS,
  };
}

export type DayView = Awaited<ReturnType<typeof getDayView>>;

/** Items whose end falls in [from, to] (local days, inclusive), for the CSV export. At most 366 days. */
export async function listItemsForExport(actor: UserActor, from: string, to: string) {
  const tz = timezoneOf(actor);
  const a = dayWindow(from, tz);
  const b = dayWindow(to, tz);
  if (!a || !b || parseDay(from) === null) throw new AppError('bad_request', 'from and to must be real calendar days as YYYY-MM-DD.');
  if (b.endMs <= a.startMs) throw new AppError('bad_request', 'to must not be before from.');
  if (b.endMs - a.startMs > 367 * 86_400_000) throw new AppError('bad_request', 'Export at most 366 days at a time.');
  const items = await db.trackerItem.findMany({
    where: { userId: actor.id, endedAt: { gte: new Date(a.startMs), lt: new Date(b.endMs) } },
    orderBy: [{ endedAt: 'asc' }, { index: 'asc' }],
    include: { session: { select: { targetS: true } } },
  });
  return { timezone: tz, items: items.map((i) => ({ sessionId: i.sessionId, targetS: i.session.targetS, ...serializeItem(i) })) };
}

/** Removes every tracker row of a user (lib/users calls it when deleting an account). */
export async function deleteTrackerDataOfUser(userId: string, tx: Pick<Tx, 'trackerSession'> = db): Promise<void> {
  await tx.trackerSession.deleteMany({ where: { userId } });
}
