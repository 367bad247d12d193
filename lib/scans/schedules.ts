// Scheduled rescans of chosen folders (five-field cron, UTC): the minute sweep turns each due
// schedule into an ordinary request, so it is debounced, mapped and retried like any other.
import parser from 'cron-parser';
import { db } from '../db';
import { recordAudit } from '../audit';
import type { Actor, RequestMeta } from '../auth/actor';
import { assertCan } from '../auth/permissions';
import { AppError, notFound } from '../http/errors';
import { folderOf, validateScanPath } from './paths';
import { persistScanRequests } from './requests';
import type { ScanScheduleInput } from './schemas';

export function nextCronRun(cron: string, after: Date): Date {
  try {
    return parser.parseExpression(cron, { currentDate: after, tz: 'UTC' }).next().toDate();
  } catch {
    throw new AppError('invalid_cron', `"${cron}" is not a five-field cron expression (e.g. "0 4 * * *" for 04:00 UTC daily).`, { status: 422 });
  }
}

function serialize(s: { id: string; path: string; cron: string; serverIds: string[]; enabled: boolean; lastRunAt: Date | null; nextRunAt: Date | null; createdAt: Date }) {
  return { id: s.id, path: s.path, cron: s.cron, serverIds: s.serverIds, enabled: s.enabled, lastRunAt: s.lastRunAt?.toISOString() ?? null, nextRunAt: s.nextRunAt?.toISOString() ?? null, createdAt: s.createdAt.toISOString() };
}

export async function listScanSchedules(actor: Actor) {
  assertCan(actor, 'scans:view');
  return (await db.scanSchedule.findMany({ orderBy: { createdAt: 'asc' } })).map(serialize);
}

export async function createScanSchedule(actor: Actor, input: ScanScheduleInput, meta?: RequestMeta) {
  assertCan(actor, 'settings:manage');
  const path = folderOf(validateScanPath(input.path));
  if (input.cron.trim().split(/\s+/).length !== 5) throw new AppError('invalid_cron', 'Give five cron fields: minute hour day-of-month month day-of-week (UTC).', { status: 422 });
  const nextRunAt = nextCronRun(input.cron, new Date());
  const row = await db.scanSchedule.create({ data: { path, cron: input.cron.trim(), serverIds: input.serverIds ?? [], nextRunAt } });
  await recordAudit({ actor, action: 'scan_schedule.create', target: { type: 'scan_schedule', id: row.id }, meta, detail: { path, cron: row.cron, serverIds: row.serverIds } });
  return serialize(row);
}

export async function deleteScanSchedule(actor: Actor, id: string, meta?: RequestMeta) {
  assertCan(actor, 'settings:manage');
  const row = await db.scanSchedule.findUnique({ where: { id } });
  if (!row) throw notFound('Scan schedule');
  await db.scanSchedule.delete({ where: { id } });
  await recordAudit({ actor, action: 'scan_schedule.delete', target: { type: 'scan_schedule', id }, meta, detail: { path: row.path, cron: row.cron } });
}

/** Sweep: queue a request for every enabled schedule that is due, and move it to its next run. */
export async function fireDueSchedules(now = new Date()): Promise<number> {
  const due = await db.scanSchedule.findMany({ where: { enabled: true, nextRunAt: { lte: now } } });
  let fired = 0;
  for (const s of due) {
    // Claim by moving nextRunAt: a second worker's sweep of the same minute finds nothing to do.
    const claimed = await db.scanSchedule.updateMany({ where: { id: s.id, nextRunAt: s.nextRunAt }, data: { lastRunAt: now, nextRunAt: nextCronRun(s.cron, now) } });
    if (claimed.count === 0) continue;
    await persistScanRequests([{ source: 'schedule', folder: s.path, serverIds: s.serverIds }]);
    fired++;
  }
  return fired;
}
