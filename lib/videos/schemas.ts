// Every input the video library accepts, parsed with zod: shared by route handlers, server actions,
// the worker and the OpenAPI document.
import { z } from 'zod';

export const videoMetaSchema = z.object({
  title: z.string().trim().min(1).max(200),
  description: z.string().max(5000).default(''),
  category: z.string().trim().max(80).nullish(),
  tags: z.array(z.string().trim().min(1).max(60)).max(50).default([]),
  people: z.array(z.string().trim().min(1).max(100)).max(50).default([]),
});
export type VideoMeta = z.infer<typeof videoMetaSchema>;

export const createUploadSchema = videoMetaSchema.extend({ sizeBytes: z.number().int().min(1) });
export type CreateUploadInput = z.infer<typeof createUploadSchema>;

const csv = z
  .union([z.string(), z.array(z.string())])
  .transform((v) => (Array.isArray(v) ? v : v.split(',')).map((s) => s.trim()).filter(Boolean));

export const listQuerySchema = z.object({
  q: z.string().trim().max(200).optional(),
  category: z.string().trim().max(80).optional(),
  tags: csv.optional(),
  people: csv.optional(),
  status: z.enum(['pending', 'processing', 'ready', 'failed']).optional(),
  minDuration: z.coerce.number().min(0).optional(),
  maxDuration: z.coerce.number().min(0).optional(),
  from: z.coerce.date().optional(),
  to: z.coerce.date().optional(),
  /** Only the videos of this uploader (a user id). */
  uploader: z.string().trim().min(1).max(64).optional(),
  view: z.enum(['all', 'favorites', 'continue', 'recent', 'mine']).default('all'),
  sort: z.enum(['relevance', 'newest', 'oldest', 'title', 'duration']).optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(24),
});
export type ListQuery = z.infer<typeof listQuerySchema>;

export const updateVideoSchema = z
  .object({
    title: z.string().trim().min(1).max(200),
    description: z.string().max(5000),
    category: z.string().trim().max(80).nullable(),
    tags: z.array(z.string().trim().min(1).max(60)).max(50),
    people: z.array(z.string().trim().min(1).max(100)).max(50),
  })
  .partial()
  .strict();

export const progressSchema = z.object({
  positionS: z.number().min(0).max(1e7),
  /** One id per playback (the player makes it when it loads the video): groups reports into views. */
  viewId: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/).optional(),
});
export type UpdateVideoInput = z.infer<typeof updateVideoSchema>;
export type ProgressInput = z.infer<typeof progressSchema>;

/** The transcode job's payload. */
export const transcodePayloadSchema = z.object({ videoId: z.string().min(1) });
