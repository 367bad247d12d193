// Every API route with its methods, who may call it, and the zod schemas its handler parses.
// The OpenAPI document (GET /api/openapi.json) is built from this table; tests/integration/openapi.test.ts
// fails when a route file under app/api has no entry here (or an entry has no route file).
import { z } from 'zod';
import type { Role } from '@/generated/prisma/enums';
import {
  changePasswordSchema,
  createUserSchema,
  reauthSchema,
  resetPasswordSchema,
  totpConfirmSchema,
  totpDisableSchema,
  updateAccountSchema,
  updateUserSchema,
} from '../users/schemas';
import { createTokenSchema } from '../auth/tokens';
import { auditExportQuerySchema, auditQuerySchema } from '../audit/queries';
import { createServerSchema, libraryAccessSchema, ruleSchema, terminateSchema, testServerSchema, updateServerSchema } from '../servers/schemas';
import { listQuerySchema, progressSchema, updateVideoSchema } from '../videos/library';
import { videoMetaSchema } from '../videos/ingest';
import { createUploadSchema } from '../videos/resumable';
import { exportQuerySchema, listSessionsQuerySchema, trackerEventSchema, updateSessionSchema } from '../tracker/schemas';
import { widgetSettingsSchema } from '../tracker/settings';
import { clearScansQuerySchema, listScansQuerySchema, manualScanSchema, pathMappingSchema, scanScheduleSchema, scanSettingsSchema, testPathSchema, updatePathMappingSchema } from '../scans/schemas';
import { analyticsQuerySchema } from '../analytics/query';
import { historyExportQuerySchema, historyQuerySchema, tautulliConnectionSchema, tautulliImportSchema } from '../history/schemas';

export type HttpMethod = 'get' | 'head' | 'post' | 'put' | 'patch' | 'delete';

/**
 * - user: a session cookie or `Authorization: Bearer <api token>`, limited to `roles`.
 * - public: no authentication.
 * - sealed: a session cookie or the short-lived sealed token `t` of a playback URL.
 * - webhook: the webhook's own secret.
 */
export type Auth = 'user' | 'public' | 'sealed' | 'webhook';

export type Body =
  | { type: 'json'; schema: z.ZodType }
  | { type: 'multipart'; schema: z.ZodObject; files: string[] }
  | { type: 'binary'; description: string };

export interface Operation {
  summary: string;
  auth: Auth;
  /** Roles that may call it (lib/auth/permissions.ts); omitted = every signed-in role. */
  roles?: readonly Role[];
  body?: Body;
  query?: z.ZodObject;
  /** Success status and what it carries. */
  success: { status: number; type?: 'json' | 'csv' | 'event-stream' | 'image' | 'hls' | 'html' | 'none'; description?: string };
  /** Extra error statuses worth knowing beyond 400/401/403/404/422/429. */
  errors?: number[];
}

const ALL = undefined;
const ADMIN = ['admin'] as const;
const SERVER_VIEW = ['admin', 'staff', 'support'] as const;
const STAFF = ['admin', 'staff'] as const;
const UPLOAD = ['admin', 'uploader'] as const;

const json = (schema: z.ZodType): Body => ({ type: 'json', schema });
const ok = (description?: string) => ({ status: 200, type: 'json' as const, description });
const created = (description?: string) => ({ status: 201, type: 'json' as const, description });
const noContent = { status: 204, type: 'none' as const };

// Inline schemas of handlers that parse their query or form fields by hand (kept identical to the route).
const sessionsQuery = z.object({ serverId: z.string().optional() });
const posterQuery = z.object({ thumb: z.string().min(1).max(512) });
const hlsQuery = z.object({
  t: z.string().optional().describe('sealed playback token from playbackUrl (for external players)'),
  a: z.string().optional().describe('transcode attempt of a segment or key of a processing video (written into its growing playlists)'),
});
const uploadMultipart = videoMetaSchema.extend({
  tags: z.string().optional().describe('comma-separated'),
  people: z.string().optional().describe('comma-separated'),
});

export const OPERATIONS: Record<string, Partial<Record<HttpMethod, Operation>>> = {
  '/api/health': { get: { summary: 'Liveness of the database and the worker (for monitors)', auth: 'public', success: ok(), errors: [503] } },
  '/api/openapi.json': { get: { summary: 'This OpenAPI document', auth: 'public', success: ok() } },
  '/api/auth/{nextauth}': {
    get: { summary: 'next-auth endpoints (session, CSRF token, providers, sign-out page)', auth: 'public', success: ok() },
    post: { summary: 'next-auth endpoints (credentials sign-in, sign-out)', auth: 'public', success: ok() },
  },

  // Account, tokens, users, audit
  '/api/account': {
    get: { summary: "The caller's own account", auth: 'user', roles: ALL, success: ok() },
    patch: { summary: 'Update own name or time zone', auth: 'user', roles: ALL, body: json(updateAccountSchema), success: ok() },
  },
  '/api/account/password': {
    post: { summary: 'Change own password (also completes a forced change); signs out every session', auth: 'user', roles: ALL, body: json(changePasswordSchema), success: ok() },
  },
  '/api/account/reauth': {
    post: { summary: 'Confirm the password (+ TOTP code) to refresh the sign-in time sensitive actions need (10 minutes; sets a new session cookie)', auth: 'user', roles: ALL, body: json(reauthSchema), success: ok() },
  },
  '/api/account/totp': {
    get: { summary: 'Whether TOTP is on and how many recovery codes are left', auth: 'user', roles: ALL, success: ok() },
    post: { summary: 'Start TOTP enrolment → { secret, uri, qrDataUrl }', auth: 'user', roles: ALL, success: ok(), errors: [409] },
    put: { summary: 'Confirm TOTP enrolment with a code → { recoveryCodes } (shown once)', auth: 'user', roles: ALL, body: json(totpConfirmSchema), success: ok(), errors: [409] },
    delete: { summary: 'Turn TOTP off (password and a code or recovery code)', auth: 'user', roles: ALL, body: json(totpDisableSchema), success: noContent },
  },
  '/api/tokens': {
    get: { summary: "The caller's API tokens (never the secret)", auth: 'user', roles: ALL, success: ok() },
    post: { summary: 'Create an API token → { id, name, token } (the token appears only here)', auth: 'user', roles: ALL, body: json(createTokenSchema), success: created() },
  },
  '/api/tokens/{id}': { delete: { summary: "Revoke one of the caller's tokens", auth: 'user', roles: ALL, success: noContent } },
  '/api/users': {
    get: { summary: 'Every account', auth: 'user', roles: ADMIN, success: ok() },
    post: { summary: 'Create an account with a temporary password', auth: 'user', roles: ADMIN, body: json(createUserSchema), success: created(), errors: [409] },
  },
  '/api/users/{id}': {
    get: { summary: 'One account', auth: 'user', roles: ADMIN, success: ok() },
    patch: { summary: 'Change role, active, time zone, scopes (the last active admin is protected)', auth: 'user', roles: ADMIN, body: json(updateUserSchema), success: ok(), errors: [409] },
    delete: { summary: 'Delete an account', auth: 'user', roles: ADMIN, success: noContent, errors: [409] },
  },
  '/api/users/{id}/password': {
    post: { summary: 'Set a temporary password (must be changed at next sign-in)', auth: 'user', roles: ADMIN, body: json(resetPasswordSchema), success: ok() },
  },
  '/api/users/{id}/unlock': { post: { summary: 'Lift the account’s sign-in locks (account-wide and per client)', auth: 'user', roles: ADMIN, success: ok() } },
  '/api/users/{id}/totp': { delete: { summary: 'Turn off a user’s TOTP (lost device); ends their sessions', auth: 'user', roles: ADMIN, success: noContent } },
  '/api/audit': { get: { summary: 'Audit log, keyset-paginated (nextCursor)', auth: 'user', roles: ADMIN, query: auditQuerySchema, success: ok() } },
  '/api/audit/export': { get: { summary: 'The whole matching audit log as CSV or JSON', auth: 'user', roles: ADMIN, query: auditExportQuerySchema, success: { status: 200, type: 'csv' } } },
  '/api/webhooks': { get: { summary: 'Webhook URL of every sender (plex, jellyfin, emby, sonarr, radarr, lidarr, readarr), each carrying ?token=<secret>', auth: 'user', roles: ADMIN, success: ok() } },
  '/api/webhooks/rotate': { post: { summary: 'Replace the webhook secret → the new URLs (the old secret stops working at once)', auth: 'user', roles: ADMIN, success: ok() } },

  // Autoscan
  '/api/scans': {
    get: { summary: 'Scan requests and scans, newest first, keyset-paginated (nextCursor) → { scans: [{ id, path, serverId, status, attempts, error?, requestedAt, finishedAt, … }] }', auth: 'user', roles: SERVER_VIEW, query: listScansQuerySchema, success: ok() },
    post: { summary: 'Manual scan of a folder (or a file\'s folder) → 202 { queued }; the path must land in a known library once mapped', auth: 'user', roles: STAFF, body: json(manualScanSchema), success: { status: 202, type: 'json' } },
    delete: { summary: 'Clear finished scans (all, or ?status=done|failed|skipped) → { deleted }', auth: 'user', roles: STAFF, query: clearScansQuerySchema, success: ok() },
  },
  '/api/scans/{id}/retry': { post: { summary: 'Route a finished scan\'s request again → 202 { queued }', auth: 'user', roles: STAFF, success: { status: 202, type: 'json' }, errors: [409] } },
  '/api/scans/settings': {
    get: { summary: 'Autoscan settings: debounce, retry backoff, anchor files, rclone URL', auth: 'user', roles: SERVER_VIEW, success: ok() },
    put: { summary: 'Change autoscan settings (admin, audited)', auth: 'user', roles: ADMIN, body: json(scanSettingsSchema), success: ok() },
  },
  '/api/scans/schedules': {
    get: { summary: 'Scheduled rescans of chosen folders → { schedules }', auth: 'user', roles: SERVER_VIEW, success: ok() },
    post: { summary: 'Add a scheduled rescan { path, cron (five fields, UTC), serverIds? } → 201 (admin, audited)', auth: 'user', roles: ADMIN, body: json(scanScheduleSchema), success: created() },
  },
  '/api/scans/schedules/{id}': { delete: { summary: 'Delete a scheduled rescan (admin, audited)', auth: 'user', roles: ADMIN, success: noContent } },
  '/api/path-mappings': {
    get: { summary: 'Path mappings in the order they are tried → { mappings }', auth: 'user', roles: SERVER_VIEW, success: ok() },
    post: { summary: 'Add a path mapping { from, to, kind: prefix|regex, serverId? } → 201 { id, … } (admin, audited)', auth: 'user', roles: ADMIN, body: json(pathMappingSchema), success: created() },
  },
  '/api/path-mappings/{id}': {
    patch: { summary: 'Change a path mapping (admin, audited)', auth: 'user', roles: ADMIN, body: json(updatePathMappingSchema), success: ok() },
    delete: { summary: 'Delete a path mapping (admin, audited)', auth: 'user', roles: ADMIN, success: noContent },
  },
  '/api/path-mappings/test': { post: { summary: 'Test a path: per target server, the rewritten path and the libraries it lands in, or why none', auth: 'user', roles: SERVER_VIEW, body: json(testPathSchema), success: ok() } },
  '/api/history': { get: { summary: 'Plays the caller may see, filtered, keyset-paginated → { plays, nextCursor }', auth: 'user', roles: ALL, query: historyQuerySchema, success: ok() } },
  '/api/history/{id}': { get: { summary: 'One play with stream detail and pauses (404 outside the caller’s scope)', auth: 'user', roles: ALL, success: ok() } },
  '/api/history/export': { get: { summary: 'Every matching play streamed as CSV, JSON or NDJSON (fields of GET /api/history, in order)', auth: 'user', roles: ALL, query: historyExportQuerySchema, success: { status: 200, type: 'csv' } } },
  '/api/analytics': { get: { summary: 'Analytics over the plays the caller may see (history scope) → { range, summary, top, playsPerDay, hourByWeekday, concurrent, decisions, resolutions }; bad parameters → 400', auth: 'user', roles: ALL, query: analyticsQuerySchema, success: ok(), errors: [400] } },
  '/api/imports/tautulli': { post: { summary: 'Queue a Tautulli history import (given or saved connection) → 202 { id }', auth: 'user', roles: ADMIN, body: json(tautulliImportSchema), success: { status: 202, type: 'json' } } },
  '/api/imports/tautulli/connection': {
    get: { summary: 'The saved Tautulli connection (never its key) or null', auth: 'user', roles: ADMIN, success: ok() },
    put: { summary: 'Test and save a Tautulli connection → its users and the media users they map to (422 with the reason)', auth: 'user', roles: ADMIN, body: json(tautulliConnectionSchema), success: ok() },
  },
  '/api/imports/{id}': { get: { summary: 'An import’s progress → { id, status, imported, skipped, total, error? }', auth: 'user', roles: ADMIN, success: ok() } },
  '/api/webhooks/{source}': {
    post: { summary: 'Media-server (plex, jellyfin, emby: history) or *arr (sonarr, radarr, lidarr, readarr: autoscan) webhook; secret as ?token= or the HTTP Basic password → 202 { queued } (Test → 200 { ok: true }; events not acted on → 200 { ok: true, ignored })', auth: 'webhook', success: { status: 202, type: 'json' }, errors: [401, 413] },
  },
  '/api/jobs': { get: { summary: 'Background jobs: last run, state, queued/active counts and next run', auth: 'user', roles: ADMIN, success: ok() } },
  '/api/jobs/{name}/run': { post: { summary: 'Queue one run of a recurring job now (audited)', auth: 'user', roles: ADMIN, success: { status: 202, type: 'json' }, errors: [409] } },

  // Servers & live activity
  '/api/servers': {
    get: { summary: 'Media servers the caller may see → { servers } (never their tokens)', auth: 'user', roles: SERVER_VIEW, success: ok() },
    post: { summary: 'Add a server after a live connection test (422 with the reason)', auth: 'user', roles: ADMIN, body: json(createServerSchema), success: created() },
  },
  '/api/servers/test': {
    post: { summary: 'Test a connection → { ok, identity } or 422 with the reason', auth: 'user', roles: ADMIN, body: json(testServerSchema), success: ok() },
  },
  '/api/servers/{id}': {
    get: { summary: 'One server', auth: 'user', roles: SERVER_VIEW, success: ok() },
    patch: { summary: 'Update a server (URL/token changes are re-tested)', auth: 'user', roles: ADMIN, body: json(updateServerSchema), success: ok() },
    delete: { summary: 'Remove a server', auth: 'user', roles: ADMIN, success: noContent },
  },
  '/api/servers/bandwidth': { get: { summary: 'Bandwidth samples of the last hour per server', auth: 'user', roles: SERVER_VIEW, success: ok() } },
  '/api/servers/rules': {
    get: { summary: 'Rules and their recent firings', auth: 'user', roles: SERVER_VIEW, success: ok() },
    post: { summary: 'Create a rule (4K transcode, stream limit)', auth: 'user', roles: ADMIN, body: json(ruleSchema), success: created() },
  },
  '/api/servers/rules/{ruleId}': {
    patch: { summary: 'Update a rule', auth: 'user', roles: ADMIN, body: json(ruleSchema.partial()), success: ok() },
    delete: { summary: 'Delete a rule', auth: 'user', roles: ADMIN, success: noContent },
  },
  '/api/servers/{id}/libraries': { get: { summary: "The server's libraries with their folder paths", auth: 'user', roles: SERVER_VIEW, success: ok() } },
  '/api/servers/{id}/poster': { get: { summary: 'Poster art, fetched with the server token', auth: 'user', roles: SERVER_VIEW, query: posterQuery, success: { status: 200, type: 'image' } } },
  '/api/servers/{id}/sync': { post: { summary: 'Re-read media users and libraries now', auth: 'user', roles: STAFF, success: ok(), errors: [502] } },
  '/api/servers/{id}/users': { get: { summary: 'Media users synced from the server', auth: 'user', roles: STAFF, success: ok() } },
  '/api/servers/{id}/users/{userId}/libraries': {
    get: { summary: "A media user's library access", auth: 'user', roles: STAFF, success: ok(), errors: [502] },
    put: { summary: "Set a media user's library access", auth: 'user', roles: STAFF, body: json(libraryAccessSchema), success: ok(), errors: [502] },
  },
  '/api/events': { get: { summary: 'Server-Sent Events: `live` carries the dashboard view on every change', auth: 'user', roles: SERVER_VIEW, success: { status: 200, type: 'event-stream' } } },
  '/api/sessions': { get: { summary: 'Live sessions → { sessions: [normalized session] }', auth: 'user', roles: SERVER_VIEW, query: sessionsQuery, success: ok() } },
  '/api/sessions/{id}': {
    delete: { summary: 'Terminate a stream (optional message to the viewer)', auth: 'user', roles: STAFF, body: json(terminateSchema), success: { status: 202, type: 'json' }, errors: [502] },
  },

  // Video library
  '/api/videos': {
    get: { summary: 'Search and browse videos', auth: 'user', roles: ALL, query: listQuerySchema, success: ok() },
    post: {
      summary: 'One-request upload → 201 { id, status } (200 with duplicate: true for a known file)',
      auth: 'user', roles: UPLOAD, body: { type: 'multipart', schema: uploadMultipart, files: ['file'] }, success: created(), errors: [413, 415, 507],
    },
  },
  '/api/videos/{id}': {
    get: { summary: 'Video metadata, status, renditions and a sealed playbackUrl when ready (or while processing, once every rung has a first segment)', auth: 'user', roles: ALL, success: ok() },
    patch: { summary: 'Edit title/description/category/tags/people (owner or admin)', auth: 'user', roles: UPLOAD, body: json(updateVideoSchema), success: ok() },
    delete: { summary: 'Delete the video and its files (owner or admin)', auth: 'user', roles: UPLOAD, success: noContent },
  },
  '/api/videos/{id}/retry': { post: { summary: 'Queue a failed transcode again (owner or admin)', auth: 'user', roles: UPLOAD, success: { status: 202, type: 'json' }, errors: [409] } },
  '/api/videos/{id}/progress': {
    put: { summary: "Save the caller's resume position", auth: 'user', roles: ALL, body: json(progressSchema), success: ok() },
    post: { summary: 'Same as PUT (for navigator.sendBeacon)', auth: 'user', roles: ALL, body: json(progressSchema), success: ok() },
  },
  '/api/videos/{id}/stats': {
    get: { summary: 'Views, unique viewers, watch time, average percent watched, completion histogram, plays per day (owner or admin)', auth: 'user', roles: UPLOAD, success: ok() },
  },
  '/api/videos/{id}/favorite': {
    put: { summary: 'Add to favorites (idempotent)', auth: 'user', roles: ALL, success: ok() },
    delete: { summary: 'Remove from favorites (idempotent)', auth: 'user', roles: ALL, success: ok() },
  },
  '/api/videos/uploads': { post: { summary: 'Start a resumable upload', auth: 'user', roles: UPLOAD, body: json(createUploadSchema), success: created(), errors: [413, 507] } },
  // Session tracker (personal: another account's session is 404)
  '/api/tracker/events': {
    post: { summary: 'Record a NEXT/PAUSE/UNDO/EXIT press → { sessionId, items, lastItemS, lastItemMmss } (Bearer "tracker" tokens; CORS for TRACKER_ALLOWED_ORIGINS)', auth: 'user', roles: ALL, body: json(trackerEventSchema), success: ok(), errors: [409] },
  },
  '/api/tracker/current': { get: { summary: 'The open session as the widget shows it ({ open: false } when none)', auth: 'user', roles: ALL, success: ok() } },
  '/api/tracker/sessions': { get: { summary: "The caller's recent sessions with their pace", auth: 'user', roles: ALL, query: listSessionsQuerySchema, success: ok() } },
  '/api/tracker/sessions/{id}': {
    get: { summary: 'Items with raw/active seconds, totals, average and pace against the target', auth: 'user', roles: ALL, success: ok() },
    patch: { summary: "Change the session's target seconds per item", auth: 'user', roles: ALL, body: json(updateSessionSchema), success: ok() },
    delete: { summary: 'Delete a session and its items (audited)', auth: 'user', roles: ALL, success: noContent },
  },
  '/api/tracker/sessions/{id}/items/{index}': { delete: { summary: 'Delete one item; later items move up (audited)', auth: 'user', roles: ALL, success: noContent } },
  '/api/tracker/days/{date}': { get: { summary: "A day in the caller's timezone: hourly buckets (23/25 on DST days), sessions, weighted pace", auth: 'user', roles: ALL, success: ok() } },
  '/api/tracker/settings': {
    get: { summary: "The caller's widget settings (userscript @match patterns, keys)", auth: 'user', roles: ALL, success: ok() },
    put: { summary: "Change the caller's widget settings (audited)", auth: 'user', roles: ALL, body: json(widgetSettingsSchema), success: ok() },
  },
  '/api/tracker/export': { get: { summary: "The caller's items of a range of days as CSV", auth: 'user', roles: ALL, query: exportQuerySchema, success: { status: 200, type: 'csv' } } },
  '/api/videos/uploads/{id}': {
    get: { summary: 'Where to resume: { offset, sizeBytes, status }', auth: 'user', roles: UPLOAD, success: ok() },
    put: { summary: 'One chunk, with `Content-Range: bytes start-end/total`', auth: 'user', roles: UPLOAD, body: { type: 'binary', description: 'the chunk bytes' }, success: ok('201 with the video once the last chunk arrives'), errors: [409, 410, 507] },
    delete: { summary: 'Cancel and remove the partial file', auth: 'user', roles: UPLOAD, success: noContent },
  },
  '/api/videos/{id}/hls/{path}': {
    get: { summary: 'HLS playlists, segments, keys, poster and storyboard', auth: 'sealed', query: hlsQuery, success: { status: 200, type: 'hls' } },
    head: { summary: 'Same as GET without the body', auth: 'sealed', query: hlsQuery, success: { status: 200, type: 'hls' } },
  },
};
