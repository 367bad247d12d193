// The environment, validated once: lib/, app/, components/, workers/ and the launcher import `env` (or a
// getter below) instead of reading process.env. The only other readers run outside the app or are
// compiled by Next: next.config.mjs and playwright.config.ts (build/test settings not listed here),
// proxy.ts (NODE_ENV, which Next inlines at build time), the scripts run before or beside the app
// (scripts/start.ts: NEXT_DIST_DIR and the environment it hands its children; scripts/db-migrate.ts;
// scripts/prisma-generate.mjs), and bench/ and tests/ setting variables up.
import { z } from 'zod';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  /** Public origin users reach Marquee at (used in links, cookies and next-auth callbacks). */
  PUBLIC_URL: z.url().optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  /** Unset → an embedded PostgreSQL is started under DATA_DIR/db by `npm start`. */
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL').optional(),
  EMBEDDED_PG_PORT: z.coerce.number().int().min(1).max(65535).default(54330),
  /**
   * Optional: rate-limit counters live in Redis when set, so every web process shares them (in-process
   * memory otherwise). Live updates do not use Redis: they ride PostgreSQL NOTIFY (lib/servers/live-bus.ts).
   */
  REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must be a redis:// URL').optional(),
  AUTH_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  /** 32-byte key, base64 or hex, for AES-256-GCM encryption at rest. */
  ENCRYPTION_KEY: z.string().min(32).optional(),
  ADMIN_EMAIL: z.email().optional(),
  ADMIN_PASSWORD: z.string().optional(),
  FFMPEG_PATH: z.string().optional(),
  FFPROBE_PATH: z.string().optional(),
  /** Largest accepted video upload in bytes (default 10 GiB). */
  VIDEO_MAX_UPLOAD_BYTES: z.coerce.number().int().min(1).default(10 * 1024 ** 3),
  /** Uploads are refused (507) when they would leave less free disk than this under DATA_DIR, in MB. */
  UPLOAD_DISK_RESERVE_MB: z.coerce.number().int().min(0).default(1024),
  /** Transcode jobs one worker runs at once (a 1080p ladder already uses every core). */
  TRANSCODE_CONCURRENCY: z.coerce.number().int().min(1).max(8).default(1),
  /** x264 preset of the HLS ladder. */
  TRANSCODE_PRESET: z.enum(['ultrafast', 'superfast', 'veryfast', 'faster', 'fast', 'medium']).default('veryfast'),
  /** Lifetime of the sealed playback token embedded in playlist URLs, in seconds. */
  PLAYBACK_TOKEN_TTL_S: z.coerce.number().int().min(5).max(86_400).default(4 * 3600),
  POLL_INTERVAL_S: z.coerce.number().int().min(2).default(10),
  /** Where plex.tv lives (library sharing); tests point it at the fake Plex. */
  PLEX_TV_URL: z.url().default('https://plex.tv'),
  /** Timeout of every media-server HTTP call. */
  MEDIA_SERVER_TIMEOUT_MS: z.coerce.number().int().min(100).default(8000),
  HEARTBEAT_INTERVAL_S: z.coerce.number().min(0.5).max(300).default(10),
  // History: a stop and a start of the same item within this many seconds are one play; the
  // percent of an item's duration from which a play counts as completed; raw playback events kept.
  HISTORY_CONTINUATION_S: z.coerce.number().int().min(0).max(86_400).default(300),
  HISTORY_COMPLETED_PCT: z.coerce.number().min(1).max(100).default(90),
  HISTORY_EVENT_RETENTION_DAYS: z.coerce.number().int().min(1).default(30),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  TRUST_PROXY: bool.default(false),
  /** Origins (comma-separated, e.g. `https://queue.example.com`) whose pages may send tracker events via CORS (the bookmarklet). */
  TRACKER_ALLOWED_ORIGINS: z.string().default(''),
  /** Userscript @match patterns (comma-separated) for the tracker widget; default: every site. */
  TRACKER_WIDGET_MATCHES: z.string().default('*://*/*'),
  /** `npm start` rebuilds when sources are newer than the build; false only builds when none exists. */
  REBUILD_ON_CHANGE: bool.default(true),
});

// An empty variable (`FOO=`) means unset, as in most tools.
const input = Object.fromEntries(Object.entries(process.env).filter(([, v]) => v !== ''));
const parsed = schema.safeParse(input);
if (!parsed.success) {
  throw new Error(`Invalid environment:\n${z.prettifyError(parsed.error)}`);
}

export const env = parsed.data;
export type Env = typeof env;

/** The database URL; throws when neither env nor the launcher provided one. */
export function databaseUrl(): string {
  if (!env.DATABASE_URL) {
    throw new Error('DATABASE_URL is not set (run through `npm start`, which starts an embedded PostgreSQL)');
  }
  return env.DATABASE_URL;
}
