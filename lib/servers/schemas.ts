import { z } from 'zod';

export const serverTypeSchema = z.enum(['plex', 'jellyfin', 'emby']);

const url = z.string().trim().min(1, 'URL is required').max(2048);

export const testServerSchema = z.object({
  type: serverTypeSchema,
  url,
  token: z.string().trim().min(1, 'Token is required').max(512),
});

export const createServerSchema = testServerSchema.extend({
  name: z.string().trim().min(1, 'Name is required').max(100),
  pollIntervalS: z.coerce.number().int().min(2).max(3600).optional(),
  enabled: z.boolean().optional(),
});

export const updateServerSchema = z.object({
  name: z.string().trim().min(1).max(100).optional(),
  url: url.optional(),
  token: z.string().trim().min(1).max(512).optional(),
  pollIntervalS: z.coerce.number().int().min(2).max(3600).optional(),
  enabled: z.boolean().optional(),
  /** Its media users may sign in to Marquee (admin). */
  mediaUserSignIn: z.boolean().optional(),
});

export const terminateSchema = z.object({ message: z.string().trim().max(500).optional() });

export const libraryAccessSchema = z.object({
  allLibraries: z.boolean(),
  libraryIds: z.array(z.string().min(1)).default([]),
});

export const ruleSchema = z.object({
  kind: z.enum(['transcode_4k', 'stream_limit']),
  name: z.string().trim().min(1).max(100),
  enabled: z.boolean().default(true),
  serverIds: z.array(z.string()).default([]),
  message: z.string().trim().min(1).max(500).default("This stream was stopped by the server's rules."),
  graceSeconds: z.coerce.number().int().min(0).max(3600).default(30),
  cooldownSeconds: z.coerce.number().int().min(0).max(86400).default(600),
  maxStreams: z.coerce.number().int().min(1).max(100).default(2),
});

export type TestServerInput = z.infer<typeof testServerSchema>;
export type CreateServerInput = z.infer<typeof createServerSchema>;
export type UpdateServerInput = z.infer<typeof updateServerSchema>;
export type RuleInput = z.infer<typeof ruleSchema>;
