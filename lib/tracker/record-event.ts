// POST /api/tracker/events: one transaction per event, serialized per user with a transaction-level
// advisory lock, so two tabs (or a retried request racing its original) never interleave on a session.
import { db } from '../db';
import { AppError } from '../http/errors';
import type { UserActor } from '../auth/actor';
import { applyTrackerEvent, describeState, type ClosedItem, type SessionState, type TrackerEvent, type TrackerEventType } from './state-machine';
import type { TrackerEventInput } from './schemas';
import { summarizeItems } from './summary';

/** How far ahead of the server's clock an event may be (a widget on a skewed machine). */
export const MAX_FUTURE_SKEW_MS = 5 * 60_000;

type Tx = Parameters<Parameters<typeof db.$transaction>[0]>[0];

type SessionRow = NonNullable<Awaited<ReturnType<typeof db.trackerSession.findFirst>>>;
type ItemRow = { index: number; startedAt: Date; endedAt: Date; rawMs: number; activeMs: number; pausedMs: number };

function toClosed(i: ItemRow | undefined): ClosedItem | null {
  return i ? { index: i.index, startedAt: i.startedAt.getTime(), endedAt: i.endedAt.getTime(), rawMs: i.rawMs, activeMs: i.activeMs, pausedMs: i.pausedMs } : null;
}

function toState(s: SessionRow, last: ClosedItem | null): SessionState {
  return {
    startedAt: s.startedAt.getTime(),
    endedAt: s.endedAt?.getTime() ?? null,
    currentStartedAt: s.currentStartedAt?.getTime() ?? null,
    pausedAt: s.pausedAt?.getTime() ?? null,
    pausedMs: s.pausedMs,
    itemCount: last?.index ?? 0,
    lastItem: last,
    lastEvent: s.lastEventAt && s.lastEventType ? { type: s.lastEventType as TrackerEventType, at: s.lastEventAt.getTime() } : null,
  };
}

const date = (ms: number | null) => (ms === null ? null : new Date(ms));

async function lockUser(tx: Tx, userId: string) {
  await tx.$queryRaw`SELECT 1 AS locked FROM pg_advisory_xact_lock(hashtextextended(${`tracker:${userId}`}, 0))`;
}

export async function recordTrackerEvent(actor: UserActor, input: TrackerEventInput, now = Date.now()) {
  const at = input.timestamp ?? now;
  if (at > now + MAX_FUTURE_SKEW_MS) {
    throw new AppError('timestamp_in_future', 'The event timestamp is more than 5 minutes ahead of the server clock.', { status: 400 });
  }
  const event: TrackerEvent = { type: input.type, at };
  const answer = await db.$transaction(async (tx) => {
    await lockUser(tx, actor.id);
    const latest = await tx.trackerSession.findFirst({ where: { userId: actor.id }, orderBy: [{ startedAt: 'desc' }, { createdAt: 'desc' }] });
    const lastTwo = latest ? await tx.trackerItem.findMany({ where: { sessionId: latest.id }, orderBy: { index: 'desc' }, take: 2 }) : [];
    const state = latest ? toState(latest, toClosed(lastTwo[0])) : null;
    const result = applyTrackerEvent(state, event, toClosed(lastTwo[1]));
    if (!result.ok) {
      throw result.code === 'out_of_order'
        ? new AppError('out_of_order', result.message, { status: 409 })
        : new AppError('no_active_session', result.message, { status: 400 });
    }

    const next = result.state;
    const fields = {
      endedAt: date(next.endedAt),
      currentStartedAt: date(next.currentStartedAt),
      pausedAt: date(next.pausedAt),
      pausedMs: next.pausedMs,
      lastEventType: next.lastEvent?.type ?? null,
      lastEventAt: date(next.lastEvent?.at ?? null),
    };
    let sessionId = latest?.id;
    let targetS = latest?.targetS;
    if (result.newSession) {
      const created = await tx.trackerSession.create({ data: { userId: actor.id, startedAt: new Date(next.startedAt), ...fields } });
      sessionId = created.id;
      targetS = created.targetS;
    } else if (result.changes.some((c) => c.kind !== 'unchanged') || next !== state) {
      await tx.trackerSession.update({ where: { id: sessionId! }, data: fields });
    }
    for (const c of result.changes) {
      if (c.kind === 'closed') {
        const { index, startedAt, endedAt, rawMs, activeMs, pausedMs } = c.item;
        await tx.trackerItem.create({ data: { sessionId: sessionId!, userId: actor.id, index, startedAt: new Date(startedAt), endedAt: new Date(endedAt), rawMs, activeMs, pausedMs } });
      } else if (c.kind === 'removed') {
        await tx.trackerItem.delete({ where: { sessionId_index: { sessionId: sessionId!, index: c.index } } });
      }
    }
    return { ...describeState(sessionId!, next), targetS: targetS! };
    // Presses from several tabs queue on the advisory lock: give them room before Prisma's 2 s/5 s defaults.
  }, { maxWait: 10_000, timeout: 15_000 });
  return { ...answer, ...(await paceOf(answer.sessionId, answer.targetS)) };
}

/** The session's average against target, for the widget's overlay (ghost items left out). */
async function paceOf(sessionId: string, targetS: number) {
  const items = await db.trackerItem.findMany({ where: { sessionId }, select: { rawMs: true, activeMs: true } });
  const stats = summarizeItems(items, targetS);
  return { avgActiveS: stats.avgActiveS, avgActiveMmss: stats.avgActiveMmss, targetMmss: stats.targetMmss, paceScore: stats.paceScore };
}

/** The user's open session as the widget and the /tracker page show it, or null. */
export async function getOpenSessionState(actor: UserActor) {
  const s = await db.trackerSession.findFirst({ where: { userId: actor.id, endedAt: null }, orderBy: { startedAt: 'desc' } });
  if (!s) return null;
  const last = await db.trackerItem.findFirst({ where: { sessionId: s.id }, orderBy: { index: 'desc' } });
  return { ...describeState(s.id, toState(s, toClosed(last ?? undefined))), targetS: s.targetS, ...(await paceOf(s.id, s.targetS)) };
}
