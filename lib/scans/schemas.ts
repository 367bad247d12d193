import { z } from 'zod';

export const SCAN_STATUSES = ['queued', 'scanning', 'retrying', 'done', 'failed', 'skipped'] as const;

export const manualScanSchema = z.object({
  path: z.string().min(1, 'Path is required').max(4096),
  serverIds: z.array(z.string().min(1)).max(50).optional(),
});

export const listScansQuerySchema = z.object({
  status: z.enum(SCAN_STATUSES).optional(),
  /** `active` = queued, scanning or retrying; `finished` = done, failed or skipped. */
  state: z.enum(['active', 'finished']).optional(),
  serverId: z.string().min(1).optional(),
  source: z.string().min(1).max(20).optional(),
  q: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  cursor: z.string().regex(/^\d{1,15}\.[A-Za-z0-9-]{1,64}$/, 'cursor must be a nextCursor value from a previous page').optional(),
});

export const clearScansQuerySchema = z.object({
  status: z.enum(['done', 'failed', 'skipped']).optional(),
});

export const pathMappingSchema = z.object({
  from: z.string().min(1, 'From is required').max(1000),
  to: z.string().max(1000),
  kind: z.enum(['prefix', 'regex']).default('prefix'),
  serverId: z.string().min(1).nullable().optional(),
  position: z.coerce.number().int().min(0).max(100_000).optional(),
});

export const updatePathMappingSchema = pathMappingSchema.partial();

export const testPathSchema = z.object({ path: z.string().min(1).max(4096) });

export const scanSettingsSchema = z.object({
  debounceS: z.coerce.number().int().min(0).max(3600).optional(),
  retryBaseS: z.coerce.number().int().min(1).max(3600).optional(),
  retryMaxS: z.coerce.number().int().min(1).max(86_400).optional(),
  maxAttempts: z.coerce.number().int().min(1).max(100).optional(),
  anchorFiles: z.array(z.string().min(1).max(4096)).max(20).optional(),
  rcloneUrl: z.url().max(2048).nullable().optional(),
  rcloneRoot: z.string().max(4096).nullable().optional(),
});

export type ManualScanInput = z.infer<typeof manualScanSchema>;
export type ListScansQuery = z.infer<typeof listScansQuerySchema>;
export type PathMappingInput = z.infer<typeof pathMappingSchema>;

export const scanScheduleSchema = z.object({
  path: z.string().min(1).max(4096),
  cron: z.string().min(1).max(100),
  serverIds: z.array(z.string().min(1)).max(50).optional(),
});
export type ScanScheduleInput = z.infer<typeof scanScheduleSchema>;
