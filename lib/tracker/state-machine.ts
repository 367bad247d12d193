// The tracker's rules as pure functions, applied by record-event.ts inside one
// transaction per event. Times are epoch milliseconds so raw/active seconds add up exactly.
//   - only NEXT starts a session; PAUSE, UNDO and EXIT need an open one;
//   - PAUSE toggles; resuming adds the paused span to the item's paused time;
//   - NEXT and EXIT close the current item (raw = end − start, active = raw − paused);
//   - UNDO removes the last closed item and reopens it with its start and paused time;
//   - a repeat of the last event (same type and time) changes nothing; an older event is refused.

export const TRACKER_EVENT_TYPES = ['NEXT', 'PAUSE', 'UNDO', 'EXIT'] as const;
export type TrackerEventType = (typeof TRACKER_EVENT_TYPES)[number];

export interface TrackerEvent {
  type: TrackerEventType;
  at: number;
}

export interface ClosedItem {
  index: number;
  startedAt: number;
  endedAt: number;
  rawMs: number;
  activeMs: number;
  pausedMs: number;
}

/** A session as the rules see it: the open item's counters and the last closed item (for UNDO). */
export interface SessionState {
  startedAt: number;
  endedAt: number | null;
  currentStartedAt: number | null;
  pausedAt: number | null;
  pausedMs: number;
  itemCount: number;
  lastItem: ClosedItem | null;
  lastEvent: TrackerEvent | null;
}

/** What the caller must persist besides the new state. */
export type TrackerChange =
  | { kind: 'started' }
  | { kind: 'closed'; item: ClosedItem }
  | { kind: 'removed'; index: number }
  | { kind: 'paused' }
  | { kind: 'resumed' }
  | { kind: 'unchanged' };

export type ApplyResult =
  | { ok: true; state: SessionState; changes: TrackerChange[]; newSession: boolean }
  | { ok: false; code: 'no_active_session' | 'out_of_order'; message: string };

export function isSessionOpen(s: SessionState | null): s is SessionState {
  return !!s && s.endedAt === null;
}

export function isDuplicateEvent(s: SessionState | null, e: TrackerEvent): boolean {
  return !!s?.lastEvent && s.lastEvent.type === e.type && s.lastEvent.at === e.at;
}

function closeCurrent(s: SessionState, at: number): ClosedItem {
  const start = s.currentStartedAt ?? s.startedAt;
  // A pause still running when the item closes counts up to the close.
  const pausedMs = s.pausedMs + (s.pausedAt !== null ? at - s.pausedAt : 0);
  const rawMs = at - start;
  return { index: s.itemCount + 1, startedAt: start, endedAt: at, rawMs, activeMs: Math.max(0, rawMs - pausedMs), pausedMs };
}

/**
 * Applies one event to the user's latest session (open or ended, or null when they have none).
 * `previousItem` is the closed item before `latest.lastItem`, which UNDO needs to restore the pointer.
 */
export function applyTrackerEvent(latest: SessionState | null, e: TrackerEvent, previousItem: ClosedItem | null = null): ApplyResult {
  if (latest && isDuplicateEvent(latest, e)) return { ok: true, state: latest, changes: [{ kind: 'unchanged' }], newSession: false };
  if (latest?.lastEvent && e.at < latest.lastEvent.at) {
    return { ok: false, code: 'out_of_order', message: 'This event is older than the last one the session recorded.' };
  }
  if (!isSessionOpen(latest)) {
    if (e.type !== 'NEXT') return { ok: false, code: 'no_active_session', message: 'No tracker session is open: press NEXT to start one.' };
    const state: SessionState = { startedAt: e.at, endedAt: null, currentStartedAt: e.at, pausedAt: null, pausedMs: 0, itemCount: 0, lastItem: null, lastEvent: e };
    return { ok: true, state, changes: [{ kind: 'started' }], newSession: true };
  }
  const s = latest;
  switch (e.type) {
    case 'NEXT': {
      const item = closeCurrent(s, e.at);
      const state: SessionState = { ...s, currentStartedAt: e.at, pausedAt: null, pausedMs: 0, itemCount: item.index, lastItem: item, lastEvent: e };
      return { ok: true, state, changes: [{ kind: 'closed', item }], newSession: false };
    }
    case 'EXIT': {
      const item = closeCurrent(s, e.at);
      const state: SessionState = { ...s, endedAt: e.at, currentStartedAt: null, pausedAt: null, pausedMs: 0, itemCount: item.index, lastItem: item, lastEvent: e };
      return { ok: true, state, changes: [{ kind: 'closed', item }], newSession: false };
    }
    case 'PAUSE': {
      if (s.pausedAt === null) return { ok: true, state: { ...s, pausedAt: e.at, lastEvent: e }, changes: [{ kind: 'paused' }], newSession: false };
      const state: SessionState = { ...s, pausedAt: null, pausedMs: s.pausedMs + (e.at - s.pausedAt), lastEvent: e };
      return { ok: true, state, changes: [{ kind: 'resumed' }], newSession: false };
    }
    case 'UNDO': {
      const last = s.lastItem;
      // Nothing closed yet: there is nothing to take back, and the open item keeps running.
      if (!last) return { ok: true, state: { ...s, lastEvent: e }, changes: [{ kind: 'unchanged' }], newSession: false };
      const state: SessionState = {
        ...s,
        currentStartedAt: last.startedAt,
        pausedAt: null,
        pausedMs: last.pausedMs,
        itemCount: last.index - 1,
        lastItem: previousItem,
        lastEvent: e,
      };
      return { ok: true, state, changes: [{ kind: 'removed', index: last.index }], newSession: false };
    }
  }
}

/** The widget's answer: closed items so far and the last closed item's active time. */
export function describeState(sessionId: string, s: SessionState) {
  const lastItemS = s.lastItem ? s.lastItem.activeMs / 1000 : 0;
  return {
    sessionId,
    items: s.itemCount,
    lastItemS,
    lastItemMmss: formatMmss(lastItemS),
    open: s.endedAt === null,
    paused: s.pausedAt !== null,
    currentStartedAt: iso(s.currentStartedAt),
    pausedMs: s.pausedMs,
    pausedAt: iso(s.pausedAt),
  };
}

function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

/** 125.4 → "02:05"; past an hour the minutes keep counting ("75:00"). */
export function formatMmss(seconds: number): string {
  const total = Math.max(0, Math.round(seconds));
  return `${String(Math.floor(total / 60)).padStart(2, '0')}:${String(total % 60).padStart(2, '0')}`;
}

/** 3725 → "01:02:05". */
export function formatHhmmss(seconds: number): string {
  const total = Math.max(0, Math.round(seconds));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:${String(total % 60).padStart(2, '0')}`;
}
