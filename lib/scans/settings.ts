// Autoscan settings (one row) and what the worker needs to route requests: servers with their
// synced library folders, and the ordered path mappings.
import { db } from '../db';
import type { MappingRule, ServerInfo } from './resolve';

export interface ScanSettingsValues {
  debounceS: number;
  retryBaseS: number;
  retryMaxS: number;
  maxAttempts: number;
  anchorFiles: string[];
  rcloneUrl: string | null;
  rcloneRoot: string | null;
}

export const DEFAULT_SCAN_SETTINGS: ScanSettingsValues = { debounceS: 10, retryBaseS: 2, retryMaxS: 300, maxAttempts: 5, anchorFiles: [], rcloneUrl: null, rcloneRoot: null };

export async function readScanSettings(): Promise<ScanSettingsValues> {
  const row = await db.scanSettings.findUnique({ where: { id: 'default' } });
  if (!row) return { ...DEFAULT_SCAN_SETTINGS };
  return { debounceS: row.debounceS, retryBaseS: row.retryBaseS, retryMaxS: row.retryMaxS, maxAttempts: row.maxAttempts, anchorFiles: row.anchorFiles, rcloneUrl: row.rcloneUrl, rcloneRoot: row.rcloneRoot };
}

export async function loadMappings(): Promise<MappingRule[]> {
  return db.pathMapping.findMany({ orderBy: [{ position: 'asc' }, { createdAt: 'asc' }], select: { id: true, kind: true, from: true, to: true, serverId: true } });
}

/** Enabled servers (optionally only these ids) with their synced library folders. */
export async function loadTargetServers(onlyIds?: string[]): Promise<ServerInfo[]> {
  const rows = await db.mediaServer.findMany({
    where: { enabled: true, ...(onlyIds && onlyIds.length > 0 ? { id: { in: onlyIds } } : {}) },
    orderBy: { createdAt: 'asc' },
    select: { id: true, name: true, type: true, libraries: { select: { externalId: true, name: true, paths: true } } },
  });
  return rows.map((r) => ({ id: r.id, name: r.name, type: r.type, libraries: r.libraries }));
}

/** Delay before retry number `attempt` (1-based): base × 2^(attempt-1), capped. */
export function retryDelayS(attempt: number, settings: Pick<ScanSettingsValues, 'retryBaseS' | 'retryMaxS'>): number {
  return Math.min(settings.retryMaxS, settings.retryBaseS * 2 ** Math.max(0, attempt - 1));
}

/** Admin: change autoscan settings (debounce, retries, anchors, rclone). Audited. */
export async function updateScanSettings(
  actor: import('../auth/actor').Actor,
  input: Partial<ScanSettingsValues>,
  meta?: import('../auth/actor').RequestMeta,
): Promise<ScanSettingsValues> {
  const { assertCan } = await import('../auth/permissions');
  const { recordAudit } = await import('../audit');
  assertCan(actor, 'settings:manage');
  const data = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
  await db.scanSettings.upsert({ where: { id: 'default' }, create: { id: 'default', ...data }, update: data });
  await recordAudit({ actor, action: 'scan_settings.update', target: { type: 'scan_settings', id: 'default' }, meta, detail: data });
  return readScanSettings();
}
