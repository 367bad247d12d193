// Rules checked after every poll: stop 4K→lower transcodes and cap concurrent streams per media
// user, each after a grace period and not again for the same user within the cooldown. This file
// decides; acting on a decision (terminating, recording the firing, auditing) is
// `enforceRuleActions` in session-control.ts.
import { db } from '../db';
import { recordAudit } from '../audit';
import type { Actor, RequestMeta } from '../auth/actor';
import { allowedServerIds, assertCan } from '../auth/permissions';
import { notFound } from '../http/errors';
import type { ProviderSession } from '../media-servers';
import type { ServerRule } from '@/generated/prisma/client';
import type { RuleInput } from './schemas';

export interface SnapshotSession extends ProviderSession {
  startedAt: Date;
}

export function isFourKDowngrade(s: ProviderSession): boolean {
  return s.sourceResolution === '4K' && s.videoDecision === 'transcode' && s.streamResolution !== null && s.streamResolution !== '4K';
}

/** Sessions a rule objects to (without grace or cooldown). */
export function matchingSessions(rule: Pick<ServerRule, 'kind' | 'maxStreams'>, sessions: SnapshotSession[]): SnapshotSession[] {
  if (rule.kind === 'transcode_4k') return sessions.filter(isFourKDowngrade);
  const byUser = new Map<string, SnapshotSession[]>();
  for (const s of sessions) {
    const key = s.mediaUserId ?? s.mediaUser;
    if (!key) continue;
    const list = byUser.get(key);
    if (list) list.push(s);
    else byUser.set(key, [s]);
  }
  // Over the limit: the newest streams go, the oldest keep playing.
  return [...byUser.values()].flatMap((list) =>
    list.length > rule.maxStreams ? [...list].sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime()).slice(rule.maxStreams) : [],
  );
}

/** The enabled rules, read once per poll cycle and passed to `ruleMatches` for each server. */
export function enabledRules(): Promise<ServerRule[]> {
  return db.serverRule.findMany({ where: { enabled: true } });
}

export interface RuleMatch {
  rule: ServerRule;
  session: SnapshotSession;
}

/** What `rules` (the enabled ones; those meant for other servers are skipped) object to in a server's snapshot. */
export function ruleMatches(serverId: string, sessions: SnapshotSession[], rules: ServerRule[]): RuleMatch[] {
  return rules
    .filter((rule) => rule.serverIds.length === 0 || rule.serverIds.includes(serverId))
    .flatMap((rule) => matchingSessions(rule, sessions).map((session) => ({ rule, session })));
}

/**
 * Of a server's matches, those to act on now: past their grace period (counted from when the rule
 * first objected to the session, kept in RulePending) and not within the rule's cooldown for that
 * media user, nor within a minute of a failed attempt (retried then, not on every poll). One
 * action per media user and rule per decision, as the cooldown would hold back the next one.
 * The poll's write has already cleared the grace periods of sessions no longer objected to.
 */
export async function decideRuleActions(serverId: string, matches: RuleMatch[], now: Date): Promise<RuleMatch[]> {
  const due: RuleMatch[] = [];
  const chosen = new Set<string>();
  for (const match of matches) {
    const { rule, session: s } = match;
    const pending = await db.rulePending.upsert({
      where: { ruleId_serverId_sessionKey: { ruleId: rule.id, serverId, sessionKey: s.sessionKey } },
      create: { ruleId: rule.id, serverId, sessionKey: s.sessionKey, firstSeen: now },
      update: {},
    });
    if (now.getTime() - pending.firstSeen.getTime() < rule.graceSeconds * 1000) continue;
    const who = s.mediaUser ? `user:${s.mediaUser}` : `session:${s.sessionKey}`;
    if (chosen.has(`${rule.id}|${who}`)) continue;
    const since = new Date(now.getTime() - rule.cooldownSeconds * 1000);
    const retryAfterFailure = new Date(now.getTime() - 60_000);
    const recent = await db.ruleFiring.findFirst({
      where: {
        ruleId: rule.id, serverId, ...(s.mediaUser ? { mediaUser: s.mediaUser } : { sessionKey: s.sessionKey }),
        OR: [{ ok: true, firedAt: { gt: since } }, { ok: false, firedAt: { gt: retryAfterFailure } }],
      },
    });
    if (recent) continue;
    chosen.add(`${rule.id}|${who}`);
    due.push(match);
  }
  return due;
}

export async function listRules(actor: Actor) {
  assertCan(actor, 'servers:view');
  // Staff/support see the rules that apply to their servers and the firings on them only.
  const ids = allowedServerIds(actor);
  const rules = await db.serverRule.findMany({
    where: ids ? { OR: [{ serverIds: { isEmpty: true } }, { serverIds: { hasSome: ids } }] } : {},
    orderBy: { createdAt: 'asc' },
  });
  const firings = await db.ruleFiring.findMany({
    where: ids ? { serverId: { in: ids } } : {},
    orderBy: { firedAt: 'desc' },
    take: 50,
    include: { rule: { select: { name: true } } },
  });
  return { rules, firings };
}

export async function createRule(actor: Actor, input: RuleInput, meta?: RequestMeta) {
  assertCan(actor, 'servers:manage');
  const rule = await db.serverRule.create({ data: input });
  await recordAudit({ actor, action: 'rule.create', target: { type: 'server_rule', id: rule.id }, meta, detail: { ...input } });
  return rule;
}

export async function updateRule(actor: Actor, id: string, input: Partial<RuleInput>, meta?: RequestMeta) {
  assertCan(actor, 'servers:manage');
  if (!(await db.serverRule.findUnique({ where: { id } }))) throw notFound('Rule');
  const rule = await db.serverRule.update({ where: { id }, data: input });
  await recordAudit({ actor, action: 'rule.update', target: { type: 'server_rule', id }, meta, detail: { ...input } });
  return rule;
}

export async function deleteRule(actor: Actor, id: string, meta?: RequestMeta) {
  assertCan(actor, 'servers:manage');
  const { count } = await db.serverRule.deleteMany({ where: { id } });
  if (!count) throw notFound('Rule');
  await recordAudit({ actor, action: 'rule.delete', target: { type: 'server_rule', id }, meta });
}
