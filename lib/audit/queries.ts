// Reading the audit log: keyset pagination on (at, id) — stable while new entries arrive, where an
// offset would shift — so filtered, time-sliced pages walk the (action|actorId|targetType, at) and
// (at, id) indexes instead of sorting every match; and a streamed export.
import { z } from 'zod';
import { db, type Prisma } from '../db';
import { AppError } from '../http/errors';
import { assertCan } from '../auth/permissions';
import type { UserActor } from '../auth/actor';
import { columnsOf, streamCsv, streamJsonArray } from '../http/csv';

const date = (name: string) =>
  z
    .string()
    .optional()
    .transform((s, ctx) => {
      if (s === undefined || s === '') return undefined;
      const d = new Date(s);
      if (Number.isNaN(d.getTime())) {
        ctx.addIssue({ code: 'custom', message: `${name} is not a valid date` });
        return z.NEVER;
      }
      return d;
    });

export const auditQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().regex(/^\d{1,15}\.\d{1,19}$/, 'cursor must be a nextCursor value from a previous page').optional(),
  order: z.enum(['desc', 'asc']).default('desc'),
  action: z.string().max(100).optional(),
  actorId: z.string().max(100).optional(),
  targetType: z.string().max(100).optional(),
  targetId: z.string().max(200).optional(),
  /** Entries about this user account (target type `user`). */
  targetUserId: z.string().max(200).optional(),
  from: z.string().optional(),
  to: z.string().optional(),
});
export type AuditQuery = z.infer<typeof auditQuerySchema>;

export const auditExportFormatSchema = z.enum(['csv', 'json']).default('csv');
/** GET /api/audit/export: the list's filters without paging, and the format. */
export const auditExportQuerySchema = auditQuerySchema.omit({ limit: true, cursor: true }).extend({ format: auditExportFormatSchema });

/** The longest `from`…`to` span one request may cover. */
export const AUDIT_MAX_RANGE_DAYS = 62;

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Parses URL search params; invalid or reversed from/to → 400 with a named code. A date-only `to`
 * (`2026-09-06`) covers that whole day (UTC); a span over 62 days → 400 `range_too_large` (an open
 * `to` counts as now).
 */
export function parseAuditQuery(params: URLSearchParams, now = new Date()): AuditQuery & { fromDate?: Date; toDate?: Date } {
  const raw = Object.fromEntries([...params.entries()].filter(([, v]) => v !== ''));
  const q = auditQuerySchema.parse(raw);
  const from = date('from').safeParse(q.from);
  const to = date('to').safeParse(q.to);
  if (!from.success) throw new AppError('invalid_from', '`from` is not a valid date (use ISO 8601).', { status: 400 });
  if (!to.success) throw new AppError('invalid_to', '`to` is not a valid date (use ISO 8601).', { status: 400 });
  const toDate = to.data && q.to && DATE_ONLY.test(q.to) ? new Date(to.data.getTime() + 86_400_000 - 1) : to.data;
  if (from.data && toDate && from.data > toDate) {
    throw new AppError('invalid_range', '`from` must not be later than `to`.', { status: 400 });
  }
  if (from.data && (toDate ?? now).getTime() - from.data.getTime() > AUDIT_MAX_RANGE_DAYS * 86_400_000) {
    throw new AppError('range_too_large', `One request covers at most ${AUDIT_MAX_RANGE_DAYS} days: narrow \`from\`…\`to\`.`, { status: 400 });
  }
  return { ...q, fromDate: from.data, toDate };
}

export function auditWhere(q: Partial<AuditQuery> & { fromDate?: Date; toDate?: Date }): Prisma.AuditLogWhereInput {
  return {
    ...(q.action ? (q.action.endsWith('*') ? { action: { startsWith: q.action.slice(0, -1) } } : { action: q.action }) : {}),
    ...(q.actorId ? { actorId: q.actorId } : {}),
    ...(q.targetType ? { targetType: q.targetType } : {}),
    ...(q.targetId ? { targetId: q.targetId } : {}),
    ...(q.targetUserId ? { AND: [{ targetType: 'user' }, { targetId: q.targetUserId }] } : {}),
    ...(q.fromDate || q.toDate ? { at: { ...(q.fromDate ? { gte: q.fromDate } : {}), ...(q.toDate ? { lte: q.toDate } : {}) } } : {}),
  };
}

export type AuditEntry = {
  id: string;
  at: Date;
  actorId: string | null;
  actorType: string;
  action: string;
  targetType: string | null;
  targetId: string | null;
  ip: string | null;
  userAgent: string | null;
  detail: unknown;
};

function toEntry(r: Prisma.AuditLogGetPayload<object>): AuditEntry {
  return { ...r, id: r.id.toString() };
}

export async function listAudit(actor: UserActor, q: ReturnType<typeof parseAuditQuery>) {
  assertCan(actor, 'audit:view');
  const where = auditWhere(q);
  if (q.cursor) {
    const [ms, id] = q.cursor.split('.') as [string, string];
    const at = new Date(Number(ms));
    const cmp = q.order === 'desc' ? 'lt' : 'gt';
    const filters = Array.isArray(where.AND) ? where.AND : where.AND ? [where.AND] : [];
    where.AND = [...filters, { OR: [{ at: { [cmp]: at } }, { at, id: { [cmp]: BigInt(id) } }] }];
  }
  const rows = await db.auditLog.findMany({ where, orderBy: [{ at: q.order }, { id: q.order }], take: q.limit + 1 });
  const page = rows.slice(0, q.limit);
  const last = page[page.length - 1];
  return {
    entries: page.map(toEntry),
    /** Opaque: `<at ms>.<id>` of the last entry. */
    nextCursor: rows.length > q.limit && last ? `${last.at.getTime()}.${last.id}` : null,
    /** Whether another page follows (nextCursor is set exactly then). */
    hasMore: rows.length > q.limit,
  };
}

/**
 * Distinct action names for the filter drop-down. Prisma's `distinct` reads every row and dedupes in
 * memory (the whole log on each page view); this walks the (action, at) index instead, one probe per
 * distinct action (a "loose index scan").
 */
export async function listAuditActions(actor: UserActor): Promise<string[]> {
  assertCan(actor, 'audit:view');
  const rows = await db.$queryRaw<{ action: string }[]>`
    WITH RECURSIVE a AS (
      (SELECT "action" FROM "AuditLog" ORDER BY "action" LIMIT 1)
      UNION ALL
      SELECT (SELECT "action" FROM "AuditLog" WHERE "action" > a."action" ORDER BY "action" LIMIT 1) FROM a WHERE a."action" IS NOT NULL
    )
    SELECT "action" FROM a WHERE "action" IS NOT NULL LIMIT 500`;
  return rows.map((r) => r.action);
}

const EXPORT_COLUMNS = columnsOf<AuditEntry, keyof AuditEntry>(['id', 'at', 'actorId', 'actorType', 'action', 'targetType', 'targetId', 'ip', 'userAgent', 'detail']);

/**
 * Streams every matching entry (ascending id, batches of 1000) as CSV or a JSON array, so memory stays
 * flat whatever the size of the log.
 */
export function exportAudit(actor: UserActor, q: ReturnType<typeof parseAuditQuery>, format: z.infer<typeof auditExportFormatSchema>, batch = 1000): ReadableStream<Uint8Array> {
  assertCan(actor, 'audit:view');
  const base = auditWhere(q);
  const source = {
    batch,
    keyOf: (e: AuditEntry) => BigInt(e.id),
    fetchPage: async (after: bigint | null, take: number) =>
      (await db.auditLog.findMany({ where: after === null ? base : { ...base, id: { gt: after } }, orderBy: { id: 'asc' }, take })).map(toEntry),
  };
  return format === 'csv' ? streamCsv(EXPORT_COLUMNS, source) : streamJsonArray(source);
}
