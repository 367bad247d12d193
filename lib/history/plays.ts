// What counts as a play (README "What counts as a play"): the rules that fold playback events from
// polls and webhooks into plays. Pure, so the rules are tested on scripted sequences and the poller,
// the webhook receiver and the worker's sweep apply them the same way.
import { randomUUID } from 'node:crypto';

export type PlaySourceKind = 'poll' | 'webhook' | 'import';

/** What identifies the viewing: which item, by whom, on which server. */
export interface PlayItemFields {
  serverId: string;
  serverName: string;
  /** Live session key (polls, Jellyfin/Emby webhooks); null for Plex webhooks. */
  sessionKey: string | null;
  itemKey: string | null;
  mediaUserId: string | null;
  mediaUser: string | null;
  title: string;
  grandparentTitle: string | null;
  parentIndex: number | null;
  index: number | null;
  mediaType: string;
}

/** How it was played: the stream and where from. */
export interface PlayStreamFields {
  decision: string | null;
  player: string | null;
  platform: string | null;
  product: string | null;
  ipAddress: string | null;
  isLocal: boolean | null;
  library: string | null;
}

/** One thing a poll or a webhook saw happen to a viewing. */
export interface PlayEvent extends PlayItemFields, PlayStreamFields {
  kind: 'start' | 'pause' | 'resume' | 'stop' | 'progress';
  source: 'poll' | 'webhook';
  at: Date;
  positionMs: number | null;
  durationMs: number | null;
  /** Stream detail worth keeping (decisions, resolutions, HDR). */
  stream: Record<string, unknown> | null;
  /** The sender says the item was watched (Plex scrobble, Jellyfin/Emby PlayedToCompletion). */
  watched?: boolean;
}

export interface PlayPause {
  at: string;
  s: number;
}

export interface PlayDetail {
  stream?: Record<string, unknown> | null;
  pauses?: PlayPause[];
  watched?: boolean;
  stopReason?: string;
}

export interface PlayState extends PlayItemFields, PlayStreamFields {
  id: string;
  startedAt: Date;
  stoppedAt: Date | null;
  lastSeenAt: Date;
  pausedS: number;
  pausedSince: Date | null;
  watchedS: number;
  durationS: number | null;
  positionS: number | null;
  progressPct: number | null;
  completed: boolean;
  source: PlaySourceKind;
  detail: PlayDetail;
}

export interface PlayRules {
  /** A stop followed by a start of the same item by the same user within this many seconds continues the play. */
  continuationS: number;
  /** Progress (percent of the item's duration) from which a play counts as completed. */
  completedPct: number;
}

export const DEFAULT_PLAY_RULES: PlayRules = { continuationS: 300, completedPct: 90 };

const secondsBetween = (a: Date, b: Date) => Math.max(0, Math.round((b.getTime() - a.getTime()) / 1000));

function sameUser(p: Pick<PlayState, 'mediaUserId' | 'mediaUser'>, e: Pick<PlayEvent, 'mediaUserId' | 'mediaUser'>): boolean {
  if (p.mediaUserId && e.mediaUserId && p.mediaUserId === e.mediaUserId) return true;
  return !!p.mediaUser && !!e.mediaUser && p.mediaUser.toLowerCase() === e.mediaUser.toLowerCase();
}

/** The same item watched by the same user on the same server (what a reconnect or a webhook beside a poll looks like). */
export function isSameViewing(p: PlayState, e: PlayEvent): boolean {
  if (p.serverId !== e.serverId || !sameUser(p, e)) return false;
  if (p.itemKey && e.itemKey) return p.itemKey === e.itemKey;
  return p.title === e.title && (p.grandparentTitle ?? null) === (e.grandparentTitle ?? null);
}

/** Recomputes what follows from the times and position: watched seconds, progress, completed. */
export function settlePlay(p: PlayState, now: Date, rules: PlayRules = DEFAULT_PLAY_RULES): PlayState {
  const end = p.stoppedAt ?? now;
  const pausing = p.pausedSince ? secondsBetween(p.pausedSince, end) : 0;
  p.watchedS = Math.max(0, secondsBetween(p.startedAt, end) - p.pausedS - pausing);
  p.progressPct = p.durationS && p.positionS !== null ? Math.min(100, Math.round((p.positionS / p.durationS) * 1000) / 10) : p.progressPct;
  p.completed = (p.progressPct !== null && p.progressPct >= rules.completedPct) || p.detail.watched === true;
  return p;
}

function endPause(p: PlayState, at: Date): void {
  if (!p.pausedSince) return;
  const s = secondsBetween(p.pausedSince, at);
  p.pausedS += s;
  p.detail.pauses = [...(p.detail.pauses ?? []), { at: p.pausedSince.toISOString(), s }];
  p.pausedSince = null;
}

/** What an event says about the item, player and stream (kept up to date while the play runs). */
function absorb(p: PlayState, e: PlayEvent): void {
  p.sessionKey = e.sessionKey ?? p.sessionKey;
  p.itemKey ??= e.itemKey;
  p.mediaUserId ??= e.mediaUserId;
  p.mediaUser ??= e.mediaUser;
  p.grandparentTitle ??= e.grandparentTitle;
  p.parentIndex ??= e.parentIndex;
  p.index ??= e.index;
  if (e.durationMs) p.durationS = Math.round(e.durationMs / 1000);
  if (e.positionMs !== null && e.positionMs >= 0) p.positionS = Math.round(e.positionMs / 1000);
  // Polls know the stream decision and the client's IP better than webhooks do (Plex sends the
  // player's public address): a webhook only fills in what is unknown.
  const poll = e.source === 'poll';
  p.decision = (poll ? e.decision : p.decision ?? e.decision) ?? p.decision;
  p.player = (poll ? e.player : p.player ?? e.player) ?? p.player;
  p.platform = (poll ? e.platform : p.platform ?? e.platform) ?? p.platform;
  p.product = (poll ? e.product : p.product ?? e.product) ?? p.product;
  p.ipAddress = (poll ? e.ipAddress : p.ipAddress ?? e.ipAddress) ?? p.ipAddress;
  p.isLocal = (poll ? e.isLocal : p.isLocal ?? e.isLocal) ?? p.isLocal;
  p.library = e.library ?? p.library;
  if (e.stream) p.detail.stream = { ...(p.detail.stream ?? {}), ...e.stream };
  if (e.watched) p.detail.watched = true;
  if (e.at > p.lastSeenAt) p.lastSeenAt = e.at;
}

function newPlay(e: PlayEvent, id: string): PlayState {
  const p: PlayState = {
    id, serverId: e.serverId, serverName: e.serverName, sessionKey: null, itemKey: null, mediaUserId: null, mediaUser: null,
    title: e.title, grandparentTitle: null, parentIndex: null, index: null, mediaType: e.mediaType,
    startedAt: e.at, stoppedAt: null, lastSeenAt: e.at, pausedS: 0, pausedSince: null, watchedS: 0,
    durationS: null, positionS: null, progressPct: null, completed: false,
    decision: null, player: null, platform: null, product: null, ipAddress: null, isLocal: null, library: null,
    source: e.source, detail: {},
  };
  absorb(p, e);
  return p;
}

/**
 * Folds events (any order; applied by time) into the plays they belong to. `plays` holds the open
 * plays of the servers involved and those closed within the continuation window. Returns every play
 * created or changed.
 *
 * - start: continues the open play of the same session or viewing (a webhook beside a poll), else
 *   reopens the same viewing stopped within the window (the gap counts as paused), else a new play.
 * - pause / resume: a pause is timed until the resume (or the stop), and excluded from watched time.
 * - stop: closes the open play; a stop with nothing open (the other source already closed it) is a no-op.
 */
export function applyPlayEvents(plays: PlayState[], events: PlayEvent[], rules: PlayRules = DEFAULT_PLAY_RULES, newId: () => string = randomUUID): PlayState[] {
  const all = [...plays];
  const changed = new Set<PlayState>();
  const sorted = [...events].sort((a, b) => a.at.getTime() - b.at.getTime());
  for (const e of sorted) {
    const open =
      (e.sessionKey && all.find((p) => p.stoppedAt === null && p.serverId === e.serverId && p.sessionKey === e.sessionKey && isSameViewing(p, e))) ||
      all.find((p) => p.stoppedAt === null && isSameViewing(p, e)) ||
      null;
    if (e.kind === 'stop') {
      if (!open) continue;
      absorb(open, e);
      endPause(open, e.at);
      open.stoppedAt = e.at < open.startedAt ? open.startedAt : e.at;
      open.sessionKey = null;
      changed.add(settlePlay(open, e.at, rules));
      continue;
    }
    let play = open;
    if (!play && e.kind === 'progress') continue;
    if (!play) {
      const cutoff = e.at.getTime() - rules.continuationS * 1000;
      const recent = all
        .filter((p) => p.stoppedAt !== null && p.stoppedAt.getTime() >= cutoff && p.stoppedAt <= e.at && p.source !== 'import' && isSameViewing(p, e))
        .sort((a, b) => b.stoppedAt!.getTime() - a.stoppedAt!.getTime())[0];
      if (recent) {
        // A reconnect or a player restart: the time away is a pause of the same play.
        recent.pausedSince = recent.stoppedAt;
        recent.stoppedAt = null;
        play = recent;
      } else {
        play = newPlay(e, newId());
        all.push(play);
      }
    }
    absorb(play, e);
    if (e.kind === 'pause') play.pausedSince ??= e.at;
    else if (e.kind !== 'progress') endPause(play, e.at);
    changed.add(settlePlay(play, e.at, rules));
  }
  return [...changed];
}
