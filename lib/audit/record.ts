// The single audit helper: every state change and every sign-in outcome calls it explicitly.
import { db } from '../db';
import type { Prisma } from '@/generated/prisma/client';
import type { Actor, RequestMeta } from '../auth/actor';

export interface AuditInput {
  actor: Actor | null;
  action: string;
  target?: { type: string; id?: string | null };
  meta?: Partial<RequestMeta>;
  detail?: Record<string, unknown>;
}

export async function recordAudit(input: AuditInput, tx: Pick<typeof db, 'auditLog'> = db): Promise<void> {
  const { actor } = input;
  await tx.auditLog.create({
    data: {
      actorId: actor?.kind === 'user' ? actor.id : null,
      actorType: actor === null ? 'anonymous' : actor.kind === 'system' ? 'system' : actor.via === 'token' ? 'token' : 'user',
      action: input.action,
      targetType: input.target?.type ?? null,
      targetId: input.target?.id ?? null,
      ip: input.meta?.ip ?? null,
      userAgent: input.meta?.userAgent?.slice(0, 512) ?? null,
      detail: (input.detail ?? (actor?.kind === 'system' ? { job: actor.job } : undefined)) as Prisma.InputJsonValue | undefined,
    },
  });
}
