// Playback history: the events a change of the live snapshot means (a play starts, pauses, resumes
// or stops) and the rules that decide them. Pure, so every writer of the snapshot (the poller, a
// termination, a disable, a server going down) records plays the same way.
import type { Prisma } from '@/generated/prisma/client';
import type { ProviderSession } from '../media-servers';

export type PlaybackEventKind = 'start' | 'pause' | 'resume' | 'stop';

export interface PlaybackEventRow {
  serverId: string;
  sessionKey: string;
  kind: PlaybackEventKind;
  at: Date;
  mediaUser: string | null;
  progressMs: number;
  data: Prisma.InputJsonValue;
}

/** Why the history closed a play: it ended on the server, or Marquee saw it go another way. */
export type StopReason = 'ended' | 'terminated' | 'rule' | 'server_down' | 'server_disabled';

export function playbackEvent(serverId: string, kind: PlaybackEventKind, s: ProviderSession, at: Date): PlaybackEventRow {
  return { serverId, sessionKey: s.sessionKey, kind, at, mediaUser: s.mediaUser ?? null, progressMs: Math.round(s.progressMs ?? 0), data: s as unknown as Prisma.InputJsonValue };
}

/** The stop of a play, carrying the session as last seen and why it stopped. */
export function stopEvent(serverId: string, sessionKey: string, last: ProviderSession, at: Date, reason: StopReason | string): PlaybackEventRow {
  return { serverId, sessionKey, kind: 'stop', at, mediaUser: last.mediaUser ?? null, progressMs: Math.round(last.progressMs ?? 0), data: { ...last, reason } as unknown as Prisma.InputJsonValue };
}

/**
 * The event a session's new state means, given its state in the previous snapshot (`undefined`: it
 * was not there). Buffering counts as playing: only a move into or out of `paused` is an event.
 */
export function transitionOf(previous: ProviderSession | undefined, current: ProviderSession): Exclude<PlaybackEventKind, 'stop'> | null {
  if (!previous) return 'start';
  if (previous.state !== 'paused' && current.state === 'paused') return 'pause';
  if (previous.state === 'paused' && current.state !== 'paused') return 'resume';
  return null;
}

/**
 * start / pause / resume / stop between the previous snapshot and this poll, in that order: the
 * current sessions' transitions first, then a stop ('ended') for each session no longer listed.
 * A session that reappears under the key it had (a client reconnecting before the next poll) is the
 * same play; under a new key it is a new one.
 */
export function playbackTransitions(
  serverId: string,
  previous: { sessionKey: string; data: unknown }[],
  current: { sessionKey: string; session: ProviderSession }[],
  at: Date,
): PlaybackEventRow[] {
  const before = new Map(previous.map((p) => [p.sessionKey, p.data as ProviderSession]));
  const events: PlaybackEventRow[] = [];
  for (const { sessionKey, session } of current) {
    const kind = transitionOf(before.get(sessionKey), session);
    if (kind) events.push(playbackEvent(serverId, kind, session, at));
    before.delete(sessionKey);
  }
  for (const [key, last] of before) events.push(stopEvent(serverId, key, last, at, 'ended'));
  return events;
}
