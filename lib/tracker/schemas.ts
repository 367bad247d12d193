import { z } from 'zod';
import { TRACKER_EVENT_TYPES } from './state-machine';

/** An event from the widget. The timestamp is ISO 8601 or epoch milliseconds; omitted → the server's clock. */
export const trackerEventSchema = z.object({
  type: z.preprocess((v) => (typeof v === 'string' ? v.toUpperCase() : v), z.enum(TRACKER_EVENT_TYPES)),
  timestamp: z
    .union([z.iso.datetime({ offset: true }), z.number().int().min(0).max(8.64e15)])
    .transform((v) => (typeof v === 'number' ? v : Date.parse(v)))
    .optional(),
});
export type TrackerEventInput = z.infer<typeof trackerEventSchema>;

export const updateSessionSchema = z.object({
  /** Target active seconds per item: 10 s to 8 h. */
  targetS: z.number().min(10).max(8 * 3600),
});

export const listSessionsQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(20),
});

export const exportQuerySchema = z.object({
  from: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'use YYYY-MM-DD'),
  to: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'use YYYY-MM-DD'),
});
