// Rules evaluated after every poll: stop 4K→lower transcodes and cap concurrent streams per media
// user, each after a grace period and not again for the same user within the cooldown. Every
// firing is stored (for the UI) and audited.
import { db } from '../db';
import { recordAudit } from '../audit';
import { systemActor, type Actor, type RequestMeta } from '../auth/actor';
import { allowedServerIds, assertCan } from '../auth/permissions';
import { notFound } from '../http/errors';
import type { MediaServerProvider, ProviderSession } from '../media-servers';
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
    byUser.set(key, [...(byUser.get(key) ?? []), s]);
  }
  // Over the limit: the newest streams go, the oldest keep playing.
  return [...byUser.values()].flatMap((list) =>
    list.length > rule.maxStreams ? [...list].sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime()).slice(rule.maxStreams) : [],
  );
}

/** The enabled rules, read once per poll cycle and passed to `evaluateRules` for each server. */
export function enabledRules(): Promise<ServerRule[]> {
  return db.serverRule.findMany({ where: { enabled: true } });
}

/** Applies `rules` (the enabled ones; those meant for other servers are skipped) to a server's new snapshot. */
export async function evaluateRules(server: { id: string; name: string }, provider: MediaServerProvider, sessions: SnapshotSession[], now: Date, rules: ServerRule[]): Promise<number> {
  const applicable = rules
    .filter((rule) => rule.serverIds.length === 0 || rule.serverIds.includes(server.id))
    .map((rule) => ({ rule, matches: matchingSessions(rule, sessions) }));
  if (applicable.length === 0) return 0;
  // A session no longer objected to starts its grace period afresh: one statement for all rules.
  await db.rulePending.deleteMany({
    where: { serverId: server.id, OR: applicable.map(({ rule, matches }) => ({ ruleId: rule.id, sessionKey: { notIn: matches.map((s) => s.sessionKey) } })) },
  });
  let fired = 0;
  for (const { rule, matches } of applicable) {
    for (const s of matches) {
      const pending = await db.rulePending.upsert({
        where: { ruleId_serverId_sessionKey: { ruleId: rule.id, serverId: server.id, sessionKey: s.sessionKey } },
        create: { ruleId: rule.id, serverId: server.id, sessionKey: s.sessionKey, firstSeen: now },
        update: {},
      });
      if (now.getTime() - pending.firstSeen.getTime() < rule.graceSeconds * 1000) continue;
      const since = new Date(now.getTime() - rule.cooldownSeconds * 1000);
      // A failed termination is retried after a minute rather than on every poll (and every audit line).
      const retryAfterFailure = new Date(now.getTime() - 60_000);
      const recent = await db.ruleFiring.findFirst({
        where: {
          ruleId: rule.id, serverId: server.id, ...(s.mediaUser ? { mediaUser: s.mediaUser } : { sessionKey: s.sessionKey }),
          OR: [{ ok: true, firedAt: { gt: since } }, { ok: false, firedAt: { gt: retryAfterFailure } }],
        },
      });
      if (recent) continue;
      let ok = true;
      let detail: string | null = null;
      try {
        await provider.terminateSession(s.sessionKey, rule.message);
      } catch (err) {
        ok = false;
        detail = (err as Error).message;
      }
      await db.ruleFiring.create({ data: { ruleId: rule.id, serverId: server.id, sessionKey: s.sessionKey, mediaUser: s.mediaUser, ok, detail, firedAt: now } });
      await db.rulePending.deleteMany({ where: { ruleId: rule.id, serverId: server.id, sessionKey: s.sessionKey } });
      await recordAudit({
        actor: systemActor('server-rules'),
        action: ok ? 'rule.fire' : 'rule.fire_failed',
        target: { type: 'server_rule', id: rule.id },
        detail: { rule: rule.name, kind: rule.kind, serverId: server.id, serverName: server.name, sessionKey: s.sessionKey, mediaUser: s.mediaUser, title: s.title, sourceResolution: s.sourceResolution, streamResolution: s.streamResolution, message: rule.message, error: detail },
      });
      if (ok) fired += 1;
    }
  }
  return fired;
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
