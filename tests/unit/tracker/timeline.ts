// Replays a scripted timeline through the pure state machine, keeping the closed items the way the
// database would (UNDO needs the item before the last one).
import { applyTrackerEvent, type ClosedItem, type SessionState, type TrackerEventType } from '../../../lib/tracker/state-machine';

export const T0 = Date.parse('2026-05-04T09:00:00Z');

export function replay(script: [seconds: number, type: TrackerEventType][]) {
  let state: SessionState | null = null;
  let items: ClosedItem[] = [];
  const answers: ReturnType<typeof applyTrackerEvent>[] = [];
  for (const [s, type] of script) {
    const r = applyTrackerEvent(state, { type, at: T0 + s * 1000 }, items.at(-2) ?? null);
    answers.push(r);
    if (!r.ok) continue;
    if (r.newSession) items = [];
    for (const c of r.changes) {
      if (c.kind === 'closed') items.push(c.item);
      if (c.kind === 'removed') items = items.filter((i) => i.index !== c.index);
    }
    state = r.state;
  }
  return { state, items, answers, times: items.map((i) => [i.rawMs / 1000, i.activeMs / 1000]) };
}
