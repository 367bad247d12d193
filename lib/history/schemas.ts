import { z } from 'zod';

const day = /^\d{4}-\d{2}-\d{2}$/;
const instant = z
  .string()
  .trim()
  .refine((v) => !Number.isNaN(new Date(v).getTime()), 'must be an ISO 8601 date or time');
const optionalText = z.string().trim().min(1).max(200).optional();

/** The filters shared by the list, the export and the page. */
export const historyFilterSchema = z.object({
  from: instant.optional(),
  to: instant.optional(),
  serverId: optionalText,
  library: optionalText,
  mediaUser: optionalText,
  mediaType: z.enum(['movie', 'episode', 'track', 'live', 'other']).optional(),
  decision: z.enum(['directplay', 'directstream', 'transcode']).optional(),
  completed: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
  source: z.enum(['poll', 'webhook', 'import']).optional(),
  q: z.string().trim().min(1).max(200).optional(),
  order: z.enum(['desc', 'asc']).default('desc'),
});
export type HistoryFilter = z.infer<typeof historyFilterSchema>;

export const historyQuerySchema = historyFilterSchema.extend({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().regex(/^\d{1,15}_[0-9a-f-]{1,64}$/, 'cursor must be a nextCursor value from a previous page').optional(),
});
export type HistoryQuery = z.infer<typeof historyQuerySchema>;

export const historyExportFormatSchema = z.enum(['csv', 'json', 'ndjson']);
export const historyExportQuerySchema = historyFilterSchema.extend({ format: historyExportFormatSchema });

/** `to` given as a bare day means through the end of that day. */
export function rangeOf(f: Pick<HistoryFilter, 'from' | 'to'>): { from: Date | null; to: Date | null } {
  const from = f.from ? new Date(f.from) : null;
  let to = f.to ? new Date(f.to) : null;
  if (to && f.to && day.test(f.to)) to = new Date(to.getTime() + 86_400_000 - 1);
  return { from, to };
}

export const tautulliConnectionSchema = z.object({
  url: z.url('enter the Tautulli URL, e.g. http://tautulli:8181').max(500),
  apiKey: z.string().trim().min(1, 'enter the API key').max(200),
});

export const tautulliImportSchema = z.object({
  url: z.url().max(500).optional(),
  apiKey: z.string().trim().min(1).max(200).optional(),
});
