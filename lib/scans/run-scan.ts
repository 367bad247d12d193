// Running one scan: wait out the debounce window, check the anchor files, claim the row, ask
// rclone to refresh its cache of the folder, then make the narrowest call the server supports.
// Failures are recorded on the row and retried with exponential backoff; a server that is down
// (unreachable, timeout, 5xx) is retried for as long as it takes, so a request is never dropped.
import fs from 'node:fs';
import { db } from '../db';
import { env } from '../env';
import { jobs } from '../jobs/definitions';
import { errorFields, logger } from '../logger';
import { isMediaServerError } from '../media-servers';
import { providerForServer } from '../servers/provider';
import { readScanSettings, retryDelayS, type ScanSettingsValues } from './settings';
import { rcloneDir } from './paths';

/** How long to wait before checking the anchor files again while they are missing. */
export const ANCHOR_RECHECK_S = 30;
const RCLONE_TIMEOUT_MS = 15_000;

export type ScanRunOutcome = 'done' | 'failed' | 'retrying' | 'waiting' | 'paused' | 'gone';

/** The anchor files that are missing right now (empty = scanning may go on). */
export function missingAnchors(anchorFiles: string[]): string[] {
  return anchorFiles.filter((f) => !fs.existsSync(f));
}

function isOutage(err: unknown): boolean {
  if (!isMediaServerError(err)) return false;
  if (err.code === 'unreachable' || err.code === 'timeout') return true;
  return err.code === 'http_error' && (err.status ?? 0) >= 500;
}

/** A refusal of the path scan that a whole-library refresh may get past (Jellyfin/Emby). */
function isRefusal(err: unknown): boolean {
  if (!isMediaServerError(err)) return false;
  return err.code === 'not_found' || err.code === 'not_supported' || (err.code === 'http_error' && (err.status ?? 0) >= 400 && (err.status ?? 0) < 500);
}

async function refreshRclone(rcloneUrl: string, dir: string): Promise<void> {
  const url = new URL('vfs/refresh', rcloneUrl.endsWith('/') ? rcloneUrl : `${rcloneUrl}/`);
  const body = new URLSearchParams({ dir, recursive: 'false' });
  const res = await fetch(url, { method: 'POST', body, signal: AbortSignal.timeout(RCLONE_TIMEOUT_MS) });
  if (!res.ok) throw new Error(`rclone answered HTTP ${res.status} to vfs/refresh`);
}

async function requeue(scanId: string, at: Date): Promise<void> {
  await jobs.scanRun.enqueue({ scanId }, { startAfter: at });
}

export async function runScan(scanId: string, now = () => new Date()): Promise<ScanRunOutcome> {
  const scan = await db.scan.findUnique({ where: { id: scanId }, include: { server: true } });
  if (!scan || !scan.routedAt || (scan.status !== 'queued' && scan.status !== 'retrying')) return 'gone';
  if (!scan.server) {
    await db.scan.update({ where: { id: scanId }, data: { status: 'failed', error: 'The media server was removed.', finishedAt: now() } });
    return 'failed';
  }
  // The debounce window was restarted by a later request: come back when it ends.
  if (scan.dueAt.getTime() > now().getTime() + 250) {
    await requeue(scanId, scan.dueAt);
    return 'waiting';
  }
  const settings = await readScanSettings();
  const missing = missingAnchors(settings.anchorFiles);
  if (missing.length > 0) {
    const next = new Date(now().getTime() + ANCHOR_RECHECK_S * 1000);
    await db.scan.update({ where: { id: scanId }, data: { error: `Paused: anchor file ${missing.join(', ')} is missing (is the mount down?).`, dueAt: next } });
    await requeue(scanId, next);
    return 'paused';
  }
  const startedAt = now();
  const claimed = await db.scan.updateMany({
    where: { id: scanId, status: { in: ['queued', 'retrying'] }, dueAt: { lte: new Date(startedAt.getTime() + 250) } },
    data: { status: 'scanning', startedAt, attempts: { increment: 1 } },
  });
  if (claimed.count === 0) return 'gone';
  const attempts = scan.attempts + 1;
  const notes: string[] = [];
  try {
    const dir = settings.rcloneUrl ? rcloneDir(scan.path, settings.rcloneRoot) : null;
    if (settings.rcloneUrl && dir !== null) {
      await refreshRclone(settings.rcloneUrl, dir).catch((err: unknown) => {
        // The scan still runs: the server may see the file without rclone's help.
        notes.push(`rclone vfs/refresh failed: ${err instanceof Error ? err.message : String(err)}`);
      });
    }
    const provider = providerForServer(scan.server);
    let method: string;
    if (scan.server.type === 'plex') {
      await provider.refreshPath(scan.libraryKey ?? '', scan.path);
      method = 'plex-partial-refresh';
    } else {
      try {
        await provider.refreshPath(scan.libraryKey ?? '', scan.path);
        method = 'media-updated';
      } catch (err) {
        if (!isRefusal(err)) throw err;
        await provider.refreshLibrary(scan.libraryKey ?? '');
        method = 'library-refresh';
        notes.push(`Path scan refused (${err instanceof Error ? err.message : String(err)}); refreshed the library instead.`);
      }
    }
    const finishedAt = now();
    await db.scan.update({ where: { id: scanId }, data: { status: 'done', method, error: notes.length > 0 ? notes.join(' ') : null, finishedAt, durationMs: finishedAt.getTime() - startedAt.getTime() } });
    return 'done';
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const finishedAt = now();
    if (!isOutage(err) && attempts >= settings.maxAttempts) {
      await db.scan.update({ where: { id: scanId }, data: { status: 'failed', error: message, finishedAt, durationMs: finishedAt.getTime() - startedAt.getTime() } });
      logger.warn('scan failed', { scanId, attempts, ...errorFields(err) });
      return 'failed';
    }
    return scheduleRetry(scanId, attempts, message, settings, finishedAt);
  }
}

async function scheduleRetry(scanId: string, attempts: number, message: string, settings: ScanSettingsValues, at: Date): Promise<ScanRunOutcome> {
  const next = new Date(at.getTime() + retryDelayS(attempts, settings) * 1000);
  try {
    await db.scan.update({ where: { id: scanId }, data: { status: 'retrying', error: message, dueAt: next } });
  } catch (err) {
    // Another waiting scan of the same folder appeared meanwhile (unique waiting key): fold into it.
    logger.info('scan retry merged into a newer waiting scan', { scanId, ...errorFields(err) });
    await db.scan.update({ where: { id: scanId }, data: { status: 'failed', error: `${message} (merged into a newer request for the same folder)`, finishedAt: at } });
    return 'failed';
  }
  await requeue(scanId, next);
  return 'retrying';
}

/** Sweep: requests left unrouted, due scans whose job was lost, scans of a worker that died. */
export async function sweepScans(now = new Date()): Promise<{ requeued: number; recovered: number }> {
  const stale = new Date(now.getTime() - Math.max(120, Math.ceil((3 * env.MEDIA_SERVER_TIMEOUT_MS) / 1000) + 60) * 1000);
  const recovered = await db.scan.updateMany({ where: { status: 'scanning', startedAt: { lt: stale } }, data: { status: 'retrying', error: 'The worker running this scan stopped; retrying.', dueAt: now } });
  // A due scan that has waited a minute past its time has no live job (the pool takes due jobs within a second).
  const overdue = await db.scan.findMany({
    where: { routedAt: { not: null }, status: { in: ['queued', 'retrying'] }, dueAt: { lt: new Date(now.getTime() - 60_000) } },
    select: { id: true },
    take: 5000,
  });
  for (const s of overdue) await requeue(s.id, now);
  return { requeued: overdue.length, recovered: recovered.count };
}
