// Polling: one server at a time is `pollServer`; `pollAllServers` claims every due server (so
// several workers never poll the same one) and polls them as one cycle. A cycle fetches every
// server's sessions concurrently, each with its own timeout (so a dead server cannot stall the
// others), diffs each against the last snapshot this process wrote, writes the whole cycle in one
// set-based statement, then lets the rules act. A failing server backs off exponentially.
import { db } from '../db';
import { logger } from '../logger';
import { isMediaServerError, type MediaServerProvider, type ProviderSession } from '../media-servers';
import { playEventFromPoll, playbackTransitions, recordPlayEvents, stopEvent } from '../history';
import type { MediaServer, ServerRule } from '@/generated/prisma/client';
import { providerForServer } from './provider';
import { announceLocally, publishLive } from './live-bus';
import { decideRuleActions, enabledRules, ruleMatches, type RuleMatch, type SnapshotSession } from './rules';
import { enforceRuleActions } from './session-control';
import { cachedSnapshot, forgetSnapshot, isUnchanged, loadSnapshots, rememberSnapshot, type CachedSession, type CachedSnapshot } from './snapshot-cache';
import { newSessionId, writePollCycle, type ServerWrite } from './poll-write';

export const SAMPLE_RETENTION_MS = 25 * 60 * 60 * 1000;
const MAX_BACKOFF_S = 300;
/** A server whose snapshot another writer keeps changing between our read and write is retried this often. */
const WRITE_ATTEMPTS = 3;

export interface PollResult {
  serverId: string;
  ok: boolean;
  sessions: number;
  error?: string;
  rulesFired?: number;
}

export function backoffSeconds(intervalS: number, failures: number): number {
  return Math.min(MAX_BACKOFF_S, intervalS * 2 ** Math.max(0, failures - 1));
}

/** Polls one server now (due or not). Afterwards its `nextPollAt` says when to poll it next. */
export async function pollServer(serverId: string, opts: { now?: Date } = {}): Promise<PollResult> {
  const rules = readRules();
  const server = await db.mediaServer.findUnique({ where: { id: serverId } });
  if (!server || !server.enabled) return notPolled(serverId);
  const [result] = await pollCycle([server], rules, opts.now);
  return result!;
}

const notPolled = (serverId: string): PollResult => ({ serverId, ok: false, sessions: 0, error: 'not found or disabled' });

/** The enabled rules, read while the servers answer (a failed read surfaces where it is awaited). */
function readRules(): Promise<ServerRule[]> {
  const rules = enabledRules();
  rules.catch(() => {});
  return rules;
}

const inFlight = new Set<string>();

/** Polls every enabled server that is due (or all enabled ones with `force`), as one cycle. */
export async function pollAllServers(opts: { now?: Date; force?: boolean } = {}): Promise<PollResult[]> {
  const claimed = opts.force ? await db.mediaServer.findMany({ where: { enabled: true } }) : await claimDueServers(opts.now ?? new Date());
  // One read of the servers and of the rules for the whole cycle, not one per server.
  const servers = claimed.filter((s) => !inFlight.has(s.id));
  if (servers.length === 0) return [];
  const rules = readRules();
  servers.forEach((s) => inFlight.add(s.id));
  try {
    return await pollCycle(servers, rules, opts.now);
  } catch (err) {
    return servers.map((s) => ({ serverId: s.id, ok: false, sessions: 0, error: String(err) }));
  } finally {
    servers.forEach((s) => inFlight.delete(s.id));
  }
}

/** Claims the due servers atomically: pushing nextPollAt ahead keeps other workers off them. */
async function claimDueServers(now: Date): Promise<MediaServer[]> {
  // Prisma stores DateTime as UTC in `timestamp` columns; an ISO string cast to timestamp keeps
  // that UTC wall time whatever the session's TimeZone is (the zone suffix is ignored).
  const nowUtc = now.toISOString();
  const claimed = await db.$queryRaw<{ id: string }[]>`
    UPDATE "MediaServer" SET "nextPollAt" = ${nowUtc}::timestamp + make_interval(secs => "pollIntervalS" * 3)
    WHERE "enabled" AND ("nextPollAt" IS NULL OR "nextPollAt" <= ${nowUtc}::timestamp)
    RETURNING "id"`;
  if (claimed.length === 0) return [];
  return db.mediaServer.findMany({ where: { id: { in: claimed.map((r) => r.id) }, enabled: true } });
}

/** What one server answered: its sessions, or why it could not list them; `at` is when. */
interface Fetched {
  server: MediaServer;
  provider: MediaServerProvider;
  at: Date;
  sessions: ProviderSession[] | null;
  error: { code: string; message: string } | null;
}

/** What a cycle will write for one server, and what the rules then see of it. */
interface Plan {
  fetched: Fetched;
  write: ServerWrite;
  matches: RuleMatch[];
}

async function pollCycle(servers: MediaServer[], rules: Promise<ServerRule[]>, pollNow: Date | undefined): Promise<PollResult[]> {
  if (servers.length === 0) return [];
  // Each server is diffed as soon as it answers (while the others are still answering), against
  // this process's copy of its snapshot when there is one.
  const early = new Map<string, Plan>();
  const fetched = await Promise.all(servers.map(async (s) => {
    const f = await fetchSessions(s, pollNow);
    const previous = cachedSnapshot(s.id);
    if (previous) early.set(s.id, planWrite(f, previous, await rules));
    return f;
  }));
  const written = await writeCycle(fetched, early, await rules, pollNow ?? new Date());
  await recordCyclePlays(written);
  return Promise.all(fetched.map(async (f) => {
    const plan = written.get(f.server.id);
    if (!plan) return notPolled(f.server.id);
    logHealthChange(plan);
    if (!plan.write.ok) return { serverId: f.server.id, ok: false, sessions: 0, error: f.error!.message };
    const rulesFired = await actOnRules(plan);
    return { serverId: f.server.id, ok: true, sessions: plan.write.next.sessions.size, rulesFired };
  }));
}

const g = globalThis as unknown as { __marqueePollProviders?: Map<string, { key: string; provider: MediaServerProvider }> };
const providers = (g.__marqueePollProviders ??= new Map());

/** The server's provider, kept between polls while its type, URL and token stay (decrypting the token every poll is wasted work). */
function pollingProvider(server: MediaServer): MediaServerProvider {
  const key = `${server.type}|${server.url}|${server.tokenEnc}`;
  const held = providers.get(server.id);
  if (held?.key === key) return held.provider;
  const provider = providerForServer(server);
  providers.set(server.id, { key, provider });
  return provider;
}

/** Step 1: the server's sessions (each request has its own timeout). */
async function fetchSessions(server: MediaServer, pollNow: Date | undefined): Promise<Fetched> {
  const provider = pollingProvider(server);
  try {
    const sessions = await provider.listSessions();
    return { server, provider, at: pollNow ?? new Date(), sessions, error: null };
  } catch (err) {
    return { server, provider, at: pollNow ?? new Date(), sessions: null, error: { code: isMediaServerError(err) ? err.code : 'error', message: (err as Error).message } };
  }
}

/**
 * Steps 2 and 3: diff every server against its last snapshot and write the cycle. A server whose
 * snapshot someone else changed since this process last wrote or read it (a termination, a
 * disable, another worker) is reloaded and diffed again. Returns the plans written, by server.
 */
async function writeCycle(fetched: Fetched[], early: Map<string, Plan>, rules: ServerRule[], cycleNow: Date): Promise<Map<string, Plan>> {
  const done = new Map<string, Plan>();
  let todo = fetched;
  for (let attempt = 0; attempt < WRITE_ATTEMPTS && todo.length > 0; attempt++) {
    const reload = attempt === 0 ? todo.filter((f) => !early.has(f.server.id)) : todo;
    const enabled = await loadSnapshots(reload.map((f) => f.server.id));
    todo = todo.filter((f) => !reload.includes(f) || enabled.has(f.server.id));
    const plans = todo.map((f) => (attempt === 0 && early.get(f.server.id)) || planWrite(f, cachedSnapshot(f.server.id)!, rules));
    let written: Set<string>;
    try {
      written = await writePollCycle(plans.map((p) => p.write), attempt === 0 ? fetched.map((f) => f.server.id) : [], new Date(cycleNow.getTime() - SAMPLE_RETENTION_MS));
    } catch (err) {
      // What was written is unknown: the next poll reads the snapshots again.
      plans.forEach((p) => forgetSnapshot(p.write.serverId));
      throw err;
    }
    for (const plan of plans) {
      if (!written.has(plan.write.serverId)) continue;
      rememberSnapshot(plan.write.serverId, plan.write.next);
      done.set(plan.write.serverId, plan);
    }
    announceLocally(written);
    todo = todo.filter((f) => !written.has(f.server.id));
  }
  return done;
}

/** Step 2 for one server: its health, the sessions to insert, update and delete, the playback events and the bandwidth sample. */
function planWrite(f: Fetched, previous: CachedSnapshot, rules: ServerRule[]): Plan {
  return f.sessions ? planAnswered(f, f.sessions, previous, rules) : planFailed(f, previous);
}

/** A server that did not answer: backoff, and when it is down, its sessions close. */
function planFailed(f: Fetched, previous: CachedSnapshot): Plan {
  const { server, at } = f;
  const failures = server.consecutiveFailures + 1;
  // Unreachable, timing out or refusing our token: down. Odd answers: degraded until they persist.
  const down = ['unreachable', 'timeout', 'invalid_credentials', 'invalid_url'].includes(f.error!.code) || failures >= 3;
  const gone = down ? [...previous.sessions.values()] : [];
  const write: ServerWrite = {
    serverId: server.id, version: previous.version, at,
    ok: false, health: down ? 'down' : 'degraded', lastError: f.error!.message, consecutiveFailures: failures,
    nextPollAt: new Date(at.getTime() + backoffSeconds(server.pollIntervalS, failures) * 1000),
    inserts: [], updates: [], deletes: gone.map((c) => c.id),
    // What a down server is playing is unknown: show it as offline, not stale sessions.
    events: gone.map((c) => stopEvent(server.id, c.session.sessionKey, c.session, at, 'server_down')),
    sample: null, pending: null,
    next: { version: previous.version + 1, sessions: down ? new Map() : previous.sessions },
  };
  return { fetched: f, write, matches: [] };
}

/** A server that answered: what changed since its last snapshot, its sample, and what the rules object to. */
function planAnswered(f: Fetched, listed: ProviderSession[], previous: CachedSnapshot, rules: ServerRule[]): Plan {
  const { server, at } = f;
  const seen = new Set<string>();
  // A server may list one session twice (Plex does while a transcoder restarts): keep the first.
  const unique = listed.filter((s) => !seen.has(s.sessionKey) && seen.add(s.sessionKey));
  const sessions = new Map<string, CachedSession>();
  const inserts: ServerWrite['inserts'] = [];
  const updates: ServerWrite['updates'] = [];
  let total = 0, lan = 0, wan = 0, transcodes = 0;
  for (const s of unique) {
    const known = previous.sessions.get(s.sessionKey);
    const id = known?.id ?? newSessionId();
    const startedAt = known?.startedAt ?? at;
    if (!known) inserts.push({ id, sessionKey: s.sessionKey, json: JSON.stringify(s), startedAt });
    else if (!isUnchanged(known.session, s)) updates.push({ id, json: JSON.stringify(s) });
    sessions.set(s.sessionKey, { id, startedAt, session: s });
    total += s.bandwidthKbps;
    if (s.isLocal) lan += s.bandwidthKbps; else wan += s.bandwidthKbps;
    if (s.decision === 'transcode') transcodes += 1;
  }
  const deletes = [...previous.sessions.values()].filter((c) => !sessions.has(c.session.sessionKey)).map((c) => c.id);
  const events = playbackTransitions(
    server.id,
    [...previous.sessions].map(([sessionKey, c]) => ({ sessionKey, data: c.session })),
    unique.map((s) => ({ sessionKey: s.sessionKey, session: s })),
    at,
  );
  const snapshot: SnapshotSession[] = [...sessions.values()].map((c) => ({ ...c.session, startedAt: c.startedAt }));
  const matches = ruleMatches(server.id, snapshot, rules);
  const write: ServerWrite = {
    serverId: server.id, version: previous.version, at, ok: true, health: 'ok', lastError: null, consecutiveFailures: 0,
    nextPollAt: new Date(at.getTime() + server.pollIntervalS * 1000),
    inserts, updates, deletes, events,
    sample: { totalKbps: total, lanKbps: lan, wanKbps: wan, streams: unique.length, transcodes },
    pending: matches.map((m) => ({ ruleId: m.rule.id, sessionKey: m.session.sessionKey })),
    next: { version: previous.version + 1, sessions },
  };
  return { fetched: f, write, matches };
}

/**
 * Step 3b: the cycle's playback events become plays, in one read and one write for the whole cycle.
 * A failure here is logged, not thrown: the live snapshot is written and the events are kept.
 */
async function recordCyclePlays(written: Map<string, Plan>): Promise<void> {
  const events = [...written.values()].flatMap(({ fetched: { server }, write }) =>
    write.events.map((e) => playEventFromPoll(e, server.name, { lastSeenAt: server.lastOkAt, gapS: Math.max(30, server.pollIntervalS * 3) })),
  );
  if (events.length === 0) return;
  try {
    await recordPlayEvents(events);
  } catch (err) {
    logger.error('recording plays failed', { error: String(err) });
  }
}

/** Step 4: the rules decide on the sessions they object to, and what they decide is carried out. */
async function actOnRules(plan: Plan): Promise<number> {
  if (plan.matches.length === 0) return 0;
  const { server, provider, at } = plan.fetched;
  const due = await decideRuleActions(server.id, plan.matches, at);
  if (due.length === 0) return 0;
  const fired = await enforceRuleActions(server, provider, due, at);
  await publishLive(server.id);
  return fired;
}

function logHealthChange({ fetched: { server, error }, write }: Plan): void {
  if (write.ok && server.health !== 'ok' && server.health !== 'unknown') logger.info('server recovered', { serverId: server.id, name: server.name });
  if (!write.ok && server.health !== write.health) logger.warn('server poll failed', { serverId: server.id, name: server.name, code: error!.code, message: error!.message });
}
