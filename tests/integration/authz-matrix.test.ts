// The authorization matrix (the role table of lib/auth/permissions.ts): every route handler under app/api, found by walking the
// file tree, is called unauthenticated, by each role (staff and support both with and without the
// server in their allowedServerIds) once with a session cookie and once with a Bearer API token, with
// a revoked and an unknown token, and by an account with a pending forced password change. Path params are real rows seeded per call (a media server behind the fake
// Jellyfin, a media user, a rule, a live session, videos owned by someone else or by the caller, an
// API token, a user, an upload), and allowed callers send a valid body, so:
//   - allowed callers get exactly the expected status (the method's default or the declared `status`),
//   - an API token gets exactly what its owner's session gets, except 403 reauth_required on the
//     sensitive actions (`sessionOnly`),
//   - refused callers must answer exactly 403: "not found" cannot hide a missing role check,
//   - 404 for a row that exists only where the MATRIX declares a deliberate hide, with its reason.
// A new route fails this test until its expected roles are declared in MATRIX; an entry for a route
// that does not exist (stale) fails it too.
import fs from 'node:fs';
import { API_DIR, findRouteFiles } from '../helpers/api-routes';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';

vi.hoisted(() => {
  process.env.MEDIA_SERVER_TIMEOUT_MS = '2000';
});

import { TOTP, Secret } from 'otpauth';
import { ROLES, systemActor, type UserActor } from '../../lib/auth/actor';
import { db } from '../../lib/db';
import { hashToken } from '../../lib/auth/session';
import { beginTotpEnrollment, confirmTotpEnrollment } from '../../lib/auth/totp';
import { revokeApiToken } from '../../lib/auth/tokens';
import { closeLiveBus, createServer, pollServer, syncServerDirectory } from '../../lib/servers';
import { uploadPartPath } from '../../lib/videos/paths';
import { FakeJellyfin, FakeTautulli } from '../fakes';
import { apiToken, authHeaders, createUser, req, TEST_PASSWORD, type TestUser } from '../helpers/auth';
import type { Role } from '../../generated/prisma/enums';

type Method = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
const METHODS: Method[] = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'];

/** Rows a path param (or a body) can point at; each is created fresh for every call unless noted. */
type Fixture =
  | 'server' // the shared media server (behind the fake Jellyfin): "in scope" staff/support have it
  | 'freshServer' // a new media server for this call (for DELETE)
  | 'mediaUser' // a media user synced from the shared server (shared)
  | 'rule'
  | 'liveSession' // a live session on the shared server (the fake knows it, so it can be stopped)
  | 'user' // another account (a viewer)
  | 'ownToken' // an API token of the caller
  | 'othersToken' // an API token of another account
  | 'video' // a ready video owned by another uploader
  | 'othersPendingVideo' // a video of another uploader that is still transcoding
  | 'ownVideo' // a ready video owned by the caller
  | 'ownFailedVideo' // a failed video owned by the caller
  | 'ownUpload' // a resumable upload (4 bytes) started by the caller
  | 'othersUpload' // a resumable upload started by another uploader
  | 'totpPending' // the caller started TOTP enrolment: the secret
  | 'totpEnabled' // the caller has TOTP on: one of their recovery codes
  | 'date' // a calendar day
  | 'ownTrackerSession' // a tracker session of the caller with two items
  | 'othersTrackerSession' // a tracker session of another account
  | 'itemIndex' // the index of an item in that session
  | 'job' // a job of the registry an admin may run by hand
  | 'finishedScan' // a done scan on the shared server
  | 'pathMapping' // a path mapping
  | 'webhookSource' // an *arr webhook receiver (sonarr)
  | 'scanSchedule' // a scheduled rescan
  | 'play' // a play on the shared server (media user of no viewer's pairs)
  | 'historyImport'; // a Tautulli import run

type Seeded = Partial<Record<Fixture, string>>;
interface World {
  fake: FakeJellyfin;
  tautulli: FakeTautulli;
  serverId: string;
  otherServerId: string;
}

/**
 * - Role[]: exactly these roles pass authorization; every other caller gets 403 (or the declared
 *   404 hide); anonymous 401.
 * - 'public': no authentication by design (kept short and reviewed).
 * - 'own-secret': authenticated by its own secret or sealed token, not a session; without one it
 *   must refuse.
 */
type Rule = readonly Role[] | 'public' | 'own-secret';
interface Entry {
  rule: Rule;
  /** Also allowed while the account must change its password (the change itself, reading the account). */
  forcedOk?: boolean;
  /** Path params → the fixture each points at (a param not listed gets a missing id). */
  params?: Record<string, Fixture>;
  /** Extra fixtures the body needs. */
  needs?: Fixture[];
  /** A valid body for allowed callers (default `{}` for POST/PUT/PATCH, none for GET/DELETE). */
  body?: (s: Seeded, w: World) => unknown;
  rawBody?: string;
  headers?: Record<string, string>;
  query?: string;
  /**
   * Known debt: the handler validates the body before authorizing, so a refused role sending an
   * empty body sees 422 instead of 403. Remove once the handler authorizes first.
   */
  validatesBeforeAuthz?: true;
  /**
   * The exact status an allowed caller gets (default: GET/PUT/PATCH 200, POST 201, DELETE 204).
   * Give the reason in a comment when it differs.
   */
  status?: number;
  /**
   * Needs a recent browser sign-in (a sensitive action): an API token, however valid,
   * gets 403 `reauth_required`.
   */
  sessionOnly?: true;
  /**
   * The route hides the server's rows from staff/support who do not have it in allowedServerIds:
   * they get 404 (whatever their role would get otherwise). The reason is required.
   */
  outOfScope?: string;
  /** These roles get 404 for a row that exists, by design (they may not learn it exists). */
  hiddenFrom?: { roles: readonly Role[]; reason: string };
  /** Same route and method, other rows (e.g. the caller's own video instead of someone else's). */
  variants?: Record<string, Partial<Omit<Entry, 'variants'>>>;
}

const ALL = ROLES;
const NONE = [] as const;
const ADMIN = ['admin'] as const;
const SERVER_VIEW = ['admin', 'staff', 'support'] as const;
const STAFF = ['admin', 'staff'] as const;
const UPLOAD = ['admin', 'uploader'] as const;
const NEW_PASSWORD = 'Matrix-Fresh-Passphrase-93!';
const TRACKER_HIDE = 'tracker sessions are personal: another account’s session does not exist for you';
const SCOPE = 'a server outside your allowedServerIds does not exist for you (no leak of which ids exist)';

const totpCode = (secret: string) => new TOTP({ algorithm: 'SHA1', digits: 6, period: 30, secret: Secret.fromBase32(secret) }).generate();

const MATRIX: Record<string, Partial<Record<Method, Entry>>> = {
  // Public: liveness for monitors, the API description, and next-auth's own endpoints (it has its own CSRF token).
  '/api/health': { GET: { rule: 'public' } },
  '/api/openapi.json': { GET: { rule: 'public' } },
  '/api/auth/[...nextauth]': { GET: { rule: 'public' }, POST: { rule: 'public' } },

  // Accounts, tokens, audit (issue 3)
  '/api/account': { GET: { rule: ALL, forcedOk: true }, PATCH: { rule: ALL, body: () => ({ timezone: 'Europe/Paris' }) } },
  '/api/account/password': { POST: { rule: ALL, forcedOk: true, sessionOnly: true, status: 200, body: () => ({ currentPassword: TEST_PASSWORD, newPassword: NEW_PASSWORD }) } },
  '/api/account/reauth': { POST: { rule: ALL, forcedOk: true, sessionOnly: true, status: 200, body: () => ({ password: TEST_PASSWORD }) } },
  '/api/account/totp': {
    GET: { rule: ALL },
    POST: { rule: ALL, sessionOnly: true, status: 200 },
    PUT: { rule: ALL, sessionOnly: true, needs: ['totpPending'], body: (s) => ({ code: totpCode(s.totpPending!) }) },
    DELETE: { rule: ALL, sessionOnly: true, needs: ['totpEnabled'], body: (s) => ({ password: TEST_PASSWORD, code: s.totpEnabled }) },
  },
  '/api/tokens': { GET: { rule: ALL }, POST: { rule: ALL, sessionOnly: true, body: () => ({ name: 'matrix' }) } },
  '/api/tokens/[id]': {
    DELETE: {
      rule: ALL,
      params: { id: 'ownToken' },
      variants: { "someone else's token": { rule: NONE, params: { id: 'othersToken' }, hiddenFrom: { roles: ALL, reason: 'tokens are personal: another account’s token does not exist for you' } } },
    },
  },
  '/api/users': { GET: { rule: ADMIN }, POST: { rule: ADMIN, body: () => ({ email: `new-${randomBytes(4).toString('hex')}@example.test`, name: 'New', role: 'viewer', password: NEW_PASSWORD }) } },
  '/api/users/[id]': {
    GET: { rule: ADMIN, params: { id: 'user' } },
    PATCH: { rule: ADMIN, params: { id: 'user' }, body: () => ({ name: 'Renamed' }) },
    DELETE: { rule: ADMIN, params: { id: 'user' } },
  },
  '/api/users/[id]/password': { POST: { rule: ADMIN, sessionOnly: true, status: 200, params: { id: 'user' }, body: () => ({ password: NEW_PASSWORD }) } },
  '/api/users/[id]/unlock': { POST: { rule: ADMIN, status: 200, params: { id: 'user' } } },
  '/api/users/[id]/totp': { DELETE: { rule: ADMIN, sessionOnly: true, params: { id: 'user' } } },
  '/api/audit': { GET: { rule: ADMIN } },
  '/api/audit/export': { GET: { rule: ADMIN } },
  '/api/jobs': { GET: { rule: ADMIN } },
  '/api/jobs/[name]/run': { POST: { rule: ADMIN, status: 202, params: { name: 'job' } } },

  // Servers & live activity
  '/api/servers': { GET: { rule: SERVER_VIEW }, POST: { rule: ADMIN, body: (_s, w) => ({ type: 'jellyfin', name: 'Added', url: w.fake.url, token: w.fake.token }) } },
  // A connection test creates nothing: 200.
  '/api/servers/test': { POST: { rule: ADMIN, status: 200, body: (_s, w) => ({ type: 'jellyfin', url: w.fake.url, token: w.fake.token }) } },
  '/api/servers/[id]': {
    GET: { rule: SERVER_VIEW, params: { id: 'server' }, outOfScope: SCOPE },
    PATCH: { rule: ADMIN, params: { id: 'server' }, body: () => ({ name: 'Renamed server' }) },
    DELETE: { rule: ADMIN, params: { id: 'freshServer' } },
  },
  '/api/servers/bandwidth': { GET: { rule: SERVER_VIEW } },
  '/api/servers/rules': { GET: { rule: SERVER_VIEW }, POST: { rule: ADMIN, body: () => ({ kind: 'stream_limit', name: 'Two streams' }) } },
  '/api/servers/rules/[ruleId]': {
    PATCH: { rule: ADMIN, params: { ruleId: 'rule' }, body: () => ({ name: 'Renamed rule' }) },
    DELETE: { rule: ADMIN, params: { ruleId: 'rule' } },
  },
  '/api/servers/[id]/libraries': { GET: { rule: SERVER_VIEW, params: { id: 'server' }, outOfScope: SCOPE } },
  '/api/servers/[id]/poster': { GET: { rule: SERVER_VIEW, params: { id: 'server' }, query: '?thumb=poster-1', outOfScope: SCOPE } },
  '/api/servers/[id]/sync': { POST: { rule: STAFF, status: 200, params: { id: 'server' }, outOfScope: SCOPE } },
  '/api/servers/[id]/users': { GET: { rule: STAFF, params: { id: 'server' }, outOfScope: SCOPE } },
  '/api/servers/[id]/users/[userId]/libraries': {
    GET: { rule: STAFF, params: { id: 'server', userId: 'mediaUser' }, outOfScope: SCOPE },
    PUT: { rule: STAFF, params: { id: 'server', userId: 'mediaUser' }, body: () => ({ allLibraries: true, libraryIds: [] }), outOfScope: SCOPE },
  },
  '/api/events': { GET: { rule: SERVER_VIEW } },
  '/api/sessions': { GET: { rule: SERVER_VIEW } },
  '/api/sessions/[id]': { DELETE: { rule: STAFF, params: { id: 'liveSession' }, status: 202, outOfScope: 'a session on a server outside your allowedServerIds does not exist for you' } },

  // Webhook URLs carry the install's secret: admins only (the receivers under /api/webhooks/ use PREFIX_RULES).
  '/api/webhooks': { GET: { rule: ADMIN } },
  '/api/webhooks/rotate': { POST: { rule: ADMIN, status: 200 } },
  // A known sender's receiver (an unknown one is 404 by design): without the secret, 401.
  '/api/webhooks/[source]': { POST: { rule: 'own-secret', params: { source: 'webhookSource' } } },

  // Autoscan: staff manage scans of their servers; mappings and settings are install-wide (admin).
  '/api/scans': {
    GET: { rule: SERVER_VIEW },
    // The path lands in the shared server's /data/movies library: queued, answered 202.
    POST: { rule: STAFF, status: 202, body: (_s, w) => ({ path: '/data/movies/Heat (1995)', serverIds: [w.serverId] }), outOfScope: SCOPE },
    DELETE: { rule: STAFF, status: 200 },
  },
  '/api/scans/[id]/retry': { POST: { rule: STAFF, status: 202, params: { id: 'finishedScan' }, outOfScope: 'a scan on a server outside your allowedServerIds does not exist for you' } },
  '/api/scans/settings': { GET: { rule: SERVER_VIEW }, PUT: { rule: ADMIN, body: () => ({ debounceS: 10 }) } },
  '/api/scans/schedules': { GET: { rule: SERVER_VIEW }, POST: { rule: ADMIN, body: () => ({ path: '/data/tv', cron: '0 4 * * *' }) } },
  '/api/scans/schedules/[id]': { DELETE: { rule: ADMIN, params: { id: 'scanSchedule' } } },
  '/api/path-mappings': { GET: { rule: SERVER_VIEW }, POST: { rule: ADMIN, body: () => ({ from: '/tv', to: '/data/tv', kind: 'prefix' }) } },
  '/api/path-mappings/[id]': {
    PATCH: { rule: ADMIN, params: { id: 'pathMapping' }, body: () => ({ to: '/data/tv2' }) },
    DELETE: { rule: ADMIN, params: { id: 'pathMapping' } },
  },
  '/api/path-mappings/test': { POST: { rule: SERVER_VIEW, status: 200, body: () => ({ path: '/data/tv/Show' }) } },

  // Video library
  '/api/videos': {
    GET: { rule: ALL },
    // No multipart body: past authorization the upload itself is refused (a real upload is tested in videos.test.ts).
    POST: { rule: UPLOAD, status: 415 },
  },
  '/api/videos/[id]': {
    GET: {
      rule: ALL,
      params: { id: 'video' },
      variants: {
        "someone else's unfinished video": { rule: ADMIN, params: { id: 'othersPendingVideo' }, hiddenFrom: { roles: ['staff', 'support', 'uploader', 'viewer'], reason: 'a video is visible to others only once it is ready' } },
      },
    },
    PATCH: { rule: ADMIN, params: { id: 'video' }, body: () => ({ title: 'Renamed' }), variants: { 'own video': { rule: UPLOAD, params: { id: 'ownVideo' } } } },
    DELETE: { rule: ADMIN, params: { id: 'video' }, variants: { 'own video': { rule: UPLOAD, params: { id: 'ownVideo' } } } },
  },
  '/api/videos/[id]/retry': {
    // A ready video cannot be retried (409) but the admin got past authorization.
    POST: {
      rule: ADMIN,
      params: { id: 'video' },
      status: 409,
      variants: {
        'own failed video': {
          rule: UPLOAD,
          params: { id: 'ownFailedVideo' },
          status: 202,
          // e.g. an uploader since demoted: without upload rights, an unfinished video is invisible, even one's own.
          hiddenFrom: { roles: ['staff', 'support', 'viewer'], reason: 'only ready videos are visible to roles without upload rights' },
        },
      },
    },
  },
  '/api/videos/uploads': { POST: { rule: UPLOAD, body: () => ({ title: 'Chunked', sizeBytes: 4 }) } },
  '/api/videos/uploads/[id]': {
    GET: { rule: UPLOAD, params: { id: 'ownUpload' } },
    PUT: { rule: UPLOAD, params: { id: 'ownUpload' }, rawBody: 'ab', headers: { 'content-range': 'bytes 0-1/4', 'content-type': 'application/octet-stream' } },
    DELETE: {
      rule: UPLOAD,
      params: { id: 'ownUpload' },
      variants: { "someone else's upload": { rule: NONE, params: { id: 'othersUpload' }, hiddenFrom: { roles: UPLOAD, reason: 'an upload belongs to the account that started it; others do not learn it exists' } } },
    },
  },
  // POST is the same save as PUT (navigator.sendBeacon can only POST): 200, nothing created.
  '/api/videos/[id]/progress': { PUT: { rule: ALL, params: { id: 'video' }, body: () => ({ positionS: 12 }) }, POST: { rule: ALL, status: 200, params: { id: 'video' }, body: () => ({ positionS: 12 }) } },
  // Idempotent both ways; DELETE answers the new state (200 { favorite: false }).
  '/api/videos/[id]/favorite': { PUT: { rule: ALL, params: { id: 'video' } }, DELETE: { rule: ALL, status: 200, params: { id: 'video' } } },
  '/api/videos/[id]/hls/[...path]': { GET: { rule: 'own-secret', params: { id: 'video' } } },
  '/api/videos/[id]/stats': { GET: { rule: ADMIN, params: { id: 'video' }, variants: { 'own video': { rule: UPLOAD, params: { id: 'ownVideo' } } } } },

  // Session tracker: personal data; another account's session does not exist for you.
  '/api/tracker/events': { POST: { rule: ALL, status: 200, body: () => ({ type: 'NEXT', timestamp: new Date().toISOString() }) } },
  '/api/tracker/current': { GET: { rule: ALL } },
  '/api/tracker/sessions': { GET: { rule: ALL } },
  '/api/tracker/sessions/[id]': {
    GET: { rule: ALL, params: { id: 'ownTrackerSession' }, variants: { "someone else's session": { rule: NONE, params: { id: 'othersTrackerSession' }, hiddenFrom: { roles: ALL, reason: TRACKER_HIDE } } } },
    PATCH: { rule: ALL, params: { id: 'ownTrackerSession' }, body: () => ({ targetS: 300 }), variants: { "someone else's session": { rule: NONE, params: { id: 'othersTrackerSession' }, hiddenFrom: { roles: ALL, reason: TRACKER_HIDE } } } },
    DELETE: { rule: ALL, params: { id: 'ownTrackerSession' }, variants: { "someone else's session": { rule: NONE, params: { id: 'othersTrackerSession' }, hiddenFrom: { roles: ALL, reason: TRACKER_HIDE } } } },
  },
  '/api/tracker/sessions/[id]/items/[index]': {
    DELETE: { rule: ALL, params: { id: 'ownTrackerSession', index: 'itemIndex' }, variants: { "someone else's session": { rule: NONE, params: { id: 'othersTrackerSession', index: 'itemIndex' }, hiddenFrom: { roles: ALL, reason: TRACKER_HIDE } } } },
  },
  '/api/tracker/days/[date]': { GET: { rule: ALL, params: { date: 'date' } } },
  '/api/tracker/settings': { GET: { rule: ALL }, PUT: { rule: ALL, body: () => ({ matches: ['https://queue.example/*'] }) } },
  '/api/tracker/export': { GET: { rule: ALL, query: '?from=2026-01-01&to=2026-01-31' } },

  // History & export (issue 11): every role reads history, each limited to its scope in the query.
  '/api/history': { GET: { rule: ALL } },
  '/api/history/export': { GET: { rule: ALL, query: '?format=ndjson' } },
  '/api/analytics': { GET: { rule: ALL, query: '?range=30d' } },
  '/api/history/[id]': {
    GET: {
      rule: ALL,
      params: { id: 'play' },
      outOfScope: 'a play of a server outside your allowedServerIds does not exist for you',
      hiddenFrom: { roles: ['uploader', 'viewer'], reason: 'a play outside your allowed (server, media user) pairs does not exist for you' },
    },
  },
  // A queued import answers 202 { id }; the connection is tested against the fake Tautulli before it is saved.
  '/api/imports/tautulli': { POST: { rule: ADMIN, status: 202, body: (_s, w) => ({ url: w.tautulli.url, apiKey: w.tautulli.apiKey }) } },
  '/api/imports/tautulli/connection': { GET: { rule: ADMIN }, PUT: { rule: ADMIN, body: (_s, w) => ({ url: w.tautulli.url, apiKey: w.tautulli.apiKey }) } },
  '/api/imports/[id]': { GET: { rule: ADMIN, params: { id: 'historyImport' } } },
};

/** Whole subtrees with one rule (webhooks authenticate with their own secret). */
const PREFIX_RULES: [prefix: string, entry: Entry][] = [['/api/webhooks/', { rule: 'own-secret' }]];

/** Who calls: every role, and staff/support with and without the server in allowedServerIds. */
interface Caller {
  label: string;
  role: Role;
  inScope?: boolean;
}
const CALLERS: Caller[] = [
  { label: 'admin', role: 'admin' },
  { label: 'staff', role: 'staff', inScope: true },
  { label: 'staff (other servers)', role: 'staff', inScope: false },
  { label: 'support', role: 'support', inScope: true },
  { label: 'support (other servers)', role: 'support', inScope: false },
  { label: 'uploader', role: 'uploader' },
  { label: 'viewer', role: 'viewer' },
];


function routeKey(file: string): string {
  const rel = path.relative(API_DIR, path.dirname(file)).split(path.sep).filter((s) => !/^\(.*\)$/.test(s));
  return ['/api', ...rel].join('/').replace(/\/$/, '');
}

function entryFor(key: string, method: Method): Entry | undefined {
  // HEAD answers like GET (same headers, no body), so it shares GET's rule.
  const declared = MATRIX[key]?.[method] ?? (method === 'HEAD' ? MATRIX[key]?.GET : undefined);
  if (declared) return declared;
  return PREFIX_RULES.find(([p]) => key.startsWith(p))?.[1];
}

type Handler = (req: Request, ctx: unknown) => Promise<Response> | Response;

const files = findRouteFiles(API_DIR).sort();
const routes = await Promise.all(
  files.map(async (file) => {
    const mod = (await import(file)) as Record<string, unknown>;
    const key = routeKey(file);
    const methods = METHODS.filter((m) => typeof mod[m] === 'function');
    return { file: path.relative(process.cwd(), file), key, mod, methods };
  }),
);

// ---- fixtures ----------------------------------------------------------------------------------

let world: World;
const SYSTEM = systemActor('authz-matrix');
let sessionTemplate: unknown;
let otherUploader: TestUser;

function actorOf(u: TestUser): UserActor {
  return { kind: 'user', id: u.id, email: u.email, name: u.name, role: u.role, serverIds: [], mediaUsers: [], timezone: 'UTC', mustChangePassword: false, via: 'session' };
}

async function video(ownerId: string, status: 'ready' | 'pending' | 'failed'): Promise<string> {
  const v = await db.video.create({
    data: { ownerId, title: `Matrix ${status}`, searchText: 'matrix', status, sha256: randomBytes(32).toString('hex'), sizeBytes: 1000n, container: 'mp4', durationS: 60, ...(status === 'ready' ? { publishedAt: new Date() } : {}) },
  });
  return v.id;
}

async function upload(userId: string): Promise<string> {
  const s = await db.uploadSession.create({ data: { userId, title: 'Chunked', sizeBytes: 4n, expiresAt: new Date(Date.now() + 3_600_000) } });
  // The part file exists from the start, as createUploadSession leaves it.
  fs.mkdirSync(path.dirname(uploadPartPath(s.id)), { recursive: true });
  fs.writeFileSync(uploadPartPath(s.id), '');
  return s.id;
}

async function trackerSession(userId: string): Promise<string> {
  const t = Date.parse('2026-01-15T10:00:00Z');
  const s = await db.trackerSession.create({ data: { userId, startedAt: new Date(t), endedAt: new Date(t + 120_000), lastEventType: 'EXIT', lastEventAt: new Date(t + 120_000) } });
  for (const index of [1, 2]) {
    const startedAt = new Date(t + (index - 1) * 60_000);
    await db.trackerItem.create({ data: { sessionId: s.id, userId, index, startedAt, endedAt: new Date(startedAt.getTime() + 60_000), rawMs: 60_000, activeMs: 60_000, pausedMs: 0 } });
  }
  return s.id;
}

async function token(userId: string): Promise<string> {
  const raw = `mq_${randomBytes(24).toString('base64url')}`;
  return (await db.apiToken.create({ data: { userId, name: 'matrix', tokenHash: hashToken(raw), prefix: raw.slice(0, 7) } })).id;
}

async function seedOne(f: Fixture, caller: TestUser): Promise<string> {
  switch (f) {
    case 'server': return world.serverId;
    case 'freshServer': return (await createServer(SYSTEM, { type: 'jellyfin', name: 'Doomed', url: world.fake.url, token: world.fake.token })).id;
    case 'mediaUser': return (await db.mediaUser.findFirstOrThrow({ where: { serverId: world.serverId }, orderBy: { name: 'asc' } })).id;
    case 'rule': return (await db.serverRule.create({ data: { kind: 'stream_limit', name: 'Matrix rule' } })).id;
    case 'liveSession': {
      const s = world.fake.startSession({ user: 'matrix' });
      const row = await db.liveSession.create({ data: { serverId: world.serverId, sessionKey: s.id, data: sessionTemplate as object } });
      return row.id;
    }
    case 'user': return (await createUser({ role: 'viewer' })).id;
    case 'ownToken': return token(caller.id);
    case 'othersToken': return token(otherUploader.id);
    case 'video': return video(otherUploader.id, 'ready');
    case 'othersPendingVideo': return video(otherUploader.id, 'pending');
    case 'ownVideo': return video(caller.id, 'ready');
    case 'ownFailedVideo': return video(caller.id, 'failed');
    case 'ownUpload': return upload(caller.id);
    case 'othersUpload': return upload(otherUploader.id);
    case 'totpPending': return (await beginTotpEnrollment(actorOf(caller), { ip: null, userAgent: null })).secret;
    case 'totpEnabled': {
      const { secret } = await beginTotpEnrollment(actorOf(caller), { ip: null, userAgent: null });
      const { recoveryCodes } = await confirmTotpEnrollment(actorOf(caller), totpCode(secret), { ip: null, userAgent: null });
      return recoveryCodes[0]!;
    }
    case 'date': return '2026-01-15';
    case 'ownTrackerSession': return trackerSession(caller.id);
    case 'othersTrackerSession': return trackerSession(otherUploader.id);
    case 'itemIndex': return '1';
    case 'job': return 'server-directory-sync';
    case 'finishedScan': {
      const now = new Date();
      return (await db.scan.create({ data: { source: 'manual', sourcePath: '/data/movies/Heat (1995)', path: '/data/movies/Heat (1995)', serverId: world.serverId, status: 'done', routedAt: now, finishedAt: now } })).id;
    }
    case 'pathMapping': return (await db.pathMapping.create({ data: { position: 0, kind: 'prefix', from: '/matrix', to: '/data/movies' } })).id;
    case 'webhookSource': return 'sonarr';
    case 'scanSchedule': return (await db.scanSchedule.create({ data: { path: '/data/tv', cron: '0 4 * * *' } })).id;
    case 'play': return (await db.play.create({ data: { serverId: world.serverId, serverName: 'Matrix', title: 'Matrix play', mediaType: 'movie', startedAt: new Date(), lastSeenAt: new Date(), source: 'poll' } })).id;
    case 'historyImport': return (await db.historyImport.create({ data: { url: world.tautulli.url, status: 'done' } })).id;
  }
}

/** Creates the caller (with the server in scope or not) and every row the entry points at. */
async function prepare(entry: Entry, c: Caller): Promise<{ user: TestUser; seeded: Seeded }> {
  const wanted = [...Object.values(entry.params ?? {}), ...(entry.needs ?? [])];
  const seeded: Seeded = {};
  // The server comes first: "in scope" means the caller has exactly that server.
  for (const f of wanted.filter((f) => f === 'server' || f === 'freshServer')) seeded[f] = await seedOne(f, null as never);
  const scopeServer = seeded.freshServer ?? world.serverId;
  const serverIds = c.inScope === undefined ? [] : c.inScope ? [scopeServer] : [world.otherServerId];
  const user = await createUser({ role: c.role, serverIds });
  for (const f of wanted) if (seeded[f] === undefined) seeded[f] = await seedOne(f, user);
  return { user, seeded };
}

function pathFor(key: string, entry: Entry, seeded: Seeded): { url: string; params: Record<string, string | string[]> } {
  const params: Record<string, string | string[]> = {};
  const url = key.replace(/\[(\.\.\.)?([^\]]+)\]/g, (_m, rest: string | undefined, name: string) => {
    if (rest) {
      params[name] = ['master.m3u8'];
      return 'master.m3u8';
    }
    const f = entry.params?.[name];
    params[name] = (f && seeded[f]) || 'authz-matrix-missing';
    return params[name] as string;
  });
  return { url: url + (entry.query ?? ''), params };
}

/** Calls the handler; with `readCode`, the error body's code is copied to an `x-error-code` header of the returned response. */
async function call(handler: Handler, key: string, method: Method, entry: Entry, headers: Record<string, string>, seeded: Seeded = {}, emptyBody = false, readCode = false): Promise<Response> {
  const json = entry.body && !emptyBody ? JSON.stringify(entry.body(seeded, world)) : method === 'POST' || method === 'PUT' || method === 'PATCH' || entry.body ? '{}' : undefined;
  const body = entry.rawBody ?? json;
  const { url, params } = pathFor(key, entry, seeded);
  const res = await handler(
    req(url, { method, headers: { ...headers, ...(json && !entry.rawBody ? { 'content-type': 'application/json' } : {}), ...entry.headers }, body }),
    { params: Promise.resolve(params) },
  );
  if (readCode) {
    const body = (await res.json().catch(() => ({}))) as { error?: { code?: string } };
    return new Response(null, { status: res.status, headers: { 'x-error-code': body.error?.code ?? '' } });
  }
  await res.body?.cancel().catch(() => {});
  return res;
}

type Expect = 'allowed' | 'refused' | 'hidden' | 'refused-or-hidden';
function expectationFor(entry: Entry, c: Caller): Expect {
  const allowed = (entry.rule as readonly Role[]).includes(c.role);
  // Out of scope: a role that may act gets the declared 404; a role refused anyway may be told so first.
  if (entry.outOfScope && c.inScope === false) return allowed ? 'hidden' : 'refused-or-hidden';
  if (entry.hiddenFrom?.roles.includes(c.role)) return 'hidden';
  return allowed ? 'allowed' : 'refused';
}

const DEFAULT_STATUS: Record<Method, number> = { GET: 200, HEAD: 200, POST: 201, PUT: 200, PATCH: 200, DELETE: 204 };
const expectedStatus = (entry: Entry, method: Method) => entry.status ?? DEFAULT_STATUS[method];

type Via = 'session' | 'token';

/** How a caller authenticates: a fresh browser session (same-origin) or a Bearer API token (from anywhere). */
async function credentials(user: TestUser, via: Via): Promise<Record<string, string>> {
  if (via === 'session') return authHeaders(user);
  return { authorization: `Bearer ${await apiToken(user)}`, origin: 'https://elsewhere.example' };
}

async function roleProblems(handler: Handler, key: string, method: Method, entry: Entry, via: Via = 'session'): Promise<string[]> {
  const problems: string[] = [];
  for (const c of CALLERS) {
    const { user, seeded } = await prepare(entry, c);
    const headers = await credentials(user, via);
    const res = await call(handler, key, method, entry, headers, seeded, false, via === 'token' && entry.sessionOnly);
    const want = expectationFor(entry, c);
    if (res.status >= 500) problems.push(`${c.label}: ${res.status} (server error)`);
    else if (want === 'allowed' && via === 'token' && entry.sessionOnly) {
      if (res.status !== 403 || res.headers.get('x-error-code') !== 'reauth_required') problems.push(`${c.label} via an API token should get 403 reauth_required, got ${res.status} ${res.headers.get('x-error-code') ?? ''}`.trim());
    } else if (want === 'allowed') {
      const expected = expectedStatus(entry, method);
      if (res.status !== expected) problems.push(`${c.label} should be allowed (${expected}), got ${res.status}`);
    } else if (want === 'hidden') {
      if (res.status !== 404) problems.push(`${c.label} should get the declared 404 hide, got ${res.status}`);
    } else if (want === 'refused-or-hidden') {
      if (res.status !== 403 && res.status !== 404) problems.push(`${c.label} should be refused (403, or the declared 404 hide), got ${res.status}`);
    } else if (res.status !== 403) {
      problems.push(`${c.label} should be refused (403), got ${res.status}`);
    } else if (entry.body && !entry.validatesBeforeAuthz) {
      // Authorization comes before validation: an empty body must not turn the 403 into a 422.
      const empty = await call(handler, key, method, entry, await credentials(user, via), seeded, true);
      if (empty.status !== 403) problems.push(`${c.label} with an empty body should be refused (403) before validation, got ${empty.status}`);
    }
  }
  return problems;
}

beforeAll(async () => {
  const fake = new FakeJellyfin();
  await fake.listen();
  const server = await createServer(SYSTEM, { type: 'jellyfin', name: 'Matrix', url: fake.url, token: fake.token });
  const other = await createServer(SYSTEM, { type: 'jellyfin', name: 'Elsewhere', url: fake.url, token: fake.token });
  const tautulli = new FakeTautulli();
  await tautulli.listen();
  world = { fake, tautulli, serverId: server.id, otherServerId: other.id };
  await syncServerDirectory(SYSTEM, server.id);
  // One real poll gives a normalized session snapshot to copy into per-call live sessions.
  const s = fake.startSession({ user: 'template' });
  await pollServer(server.id);
  sessionTemplate = (await db.liveSession.findFirstOrThrow({ where: { serverId: server.id } })).data;
  fake.stopSession(s.id);
  otherUploader = await createUser({ role: 'uploader' });
}, 30_000);

afterAll(async () => {
  await closeLiveBus();
  await world?.fake.close();
  await world?.tautulli.close();
});

// ---- the checks --------------------------------------------------------------------------------

describe('authorization matrix', () => {
  test('the walk found the route tree', () => {
    expect(routes.length).toBeGreaterThan(5);
    expect(routes.map((r) => r.key)).toContain('/api/users/[id]');
  });

  test('every exported method of every route is declared in the matrix', () => {
    const missing = routes.flatMap((r) => r.methods.filter((m) => !entryFor(r.key, m)).map((m) => `${m} ${r.key}  (${r.file})`));
    expect(
      missing,
      `Undeclared API routes. Add each to MATRIX in tests/integration/authz-matrix.test.ts with the roles lib/auth/permissions.ts allows:\n  ${missing.join('\n  ')}`,
    ).toEqual([]);
  });

  test('every MATRIX entry is a route that exists (stale entries would pass for routes nobody serves)', () => {
    const onDisk = new Set(routes.map((r) => r.key));
    const stale = Object.keys(MATRIX).filter((k) => !onDisk.has(k));
    const staleMethods = routes.flatMap((r) =>
      Object.keys(MATRIX[r.key] ?? {})
        .filter((m) => !r.methods.includes(m as Method))
        .map((m) => `${m} ${r.key}`),
    );
    expect([...stale, ...staleMethods], 'Declared in MATRIX but no app/api/**/route.ts exports them: remove the entries (or add the route)').toEqual([]);
  });

  test('every path param of a role-guarded route points at a seeded row', () => {
    const unseeded = routes.flatMap((r) =>
      r.methods.flatMap((m) => {
        const e = entryFor(r.key, m);
        if (!e || !Array.isArray(e.rule)) return [];
        const names = [...r.key.matchAll(/\[(?!\.\.\.)([^\]]+)\]/g)].map((x) => x[1]!);
        return names.filter((n) => !e.params?.[n]).map((n) => `${m} ${r.key}: [${n}]`);
      }),
    );
    expect(unseeded, 'Give these params a fixture in MATRIX (`params`), so a refused role cannot hide behind 404').toEqual([]);
  });

  const cases = routes.flatMap((r) => r.methods.map((m) => ({ ...r, method: m, entry: entryFor(r.key, m) })));

  test.each(cases.filter((c) => c.entry && c.entry.rule !== 'public').map((c) => [`${c.method} ${c.key}`, c] as const))(
    '%s refuses anonymous callers',
    async (_name, c) => {
      const { seeded } = await prepare(c.entry!, { label: 'anonymous', role: 'viewer' });
      const res = await call(c.mod[c.method] as Handler, c.key, c.method, c.entry!, {}, seeded);
      if (c.entry!.rule === 'own-secret') expect([401, 403], `${c.method} ${c.key} → ${res.status}`).toContain(res.status);
      else expect(res.status, `${c.method} ${c.key} must answer 401 without credentials`).toBe(401);
    },
  );

  const roleCases = cases.filter((c) => c.entry && Array.isArray(c.entry.rule));
  const withVariants = roleCases.flatMap((c) => [
    { ...c, name: `${c.method} ${c.key}` },
    ...Object.entries(c.entry!.variants ?? {}).map(([label, v]) => ({ ...c, name: `${c.method} ${c.key} (${label})`, entry: { ...c.entry!, ...v } as Entry })),
  ]);
  test.each(withVariants.map((c) => [c.name, c] as const))('%s allows exactly the roles of the matrix', async (_name, c) => {
    expect(await roleProblems(c.mod[c.method] as Handler, c.key, c.method, c.entry!), c.name).toEqual([]);
  });

  test('the matrix catches a route that forgot authorization, or hides a refusal behind 404', async () => {
    const open: Handler = () => new Response('{}', { status: 201 });
    const anon = await call(open, '/api/forgotten', 'POST', { rule: ADMIN }, {});
    expect(anon.status).not.toBe(401);
    expect(await roleProblems(open, '/api/forgotten', 'POST', { rule: ADMIN })).toEqual(
      CALLERS.filter((c) => c.role !== 'admin').map((c) => `${c.label} should be refused (403), got 201`),
    );
    const hides: Handler = () => new Response('{}', { status: 404 });
    expect(await roleProblems(hides, '/api/forgotten', 'POST', { rule: NONE })).toEqual(CALLERS.map((c) => `${c.label} should be refused (403), got 404`));
    // Validates before authorizing: the valid body gets 403, an empty one 422.
    const validatesFirst: Handler = async (r) => new Response('{}', { status: (await r.text()) === '{}' ? 422 : 403 });
    expect(await roleProblems(validatesFirst, '/api/forgotten', 'POST', { rule: NONE, body: () => ({ name: 'x' }) })).toEqual(
      CALLERS.map((c) => `${c.label} with an empty body should be refused (403) before validation, got 422`),
    );
    expect(entryFor('/api/forgotten', 'POST')).toBeUndefined();
  });

  test.each(withVariants.map((c) => [c.name, c] as const))('%s: a Bearer API token acts with exactly its owner’s role', async (_name, c) => {
    expect(await roleProblems(c.mod[c.method] as Handler, c.key, c.method, c.entry!, 'token'), `${c.name} via Bearer`).toEqual([]);
  });

  test.each(roleCases.map((c) => [`${c.method} ${c.key}`, c] as const))('%s refuses a revoked and an unknown API token (401)', async (_name, c) => {
    const allowed = c.entry!.rule as readonly Role[];
    const role = allowed[0] ?? 'viewer';
    const { user, seeded } = await prepare(c.entry!, { label: role, role, inScope: role === 'staff' || role === 'support' ? true : undefined });
    const raw = await apiToken(user);
    const row = await db.apiToken.findUniqueOrThrow({ where: { tokenHash: hashToken(raw) } });
    await revokeApiToken(actorOf(user), row.id, { ip: null, userAgent: null });
    const revoked = await call(c.mod[c.method] as Handler, c.key, c.method, c.entry!, { authorization: `Bearer ${raw}` }, seeded);
    expect(revoked.status, `${c.method} ${c.key} with a revoked token`).toBe(401);
    const unknown = await call(c.mod[c.method] as Handler, c.key, c.method, c.entry!, { authorization: 'Bearer mq_never-issued-token' }, seeded);
    expect(unknown.status).toBe(401);
  });

  test.each(roleCases.map((c) => [`${c.method} ${c.key}`, c] as const))('%s honours a pending forced password change', async (_name, c) => {
    const { user, seeded } = await prepare(c.entry!, { label: 'admin', role: 'admin' });
    await db.user.update({ where: { id: user.id }, data: { mustChangePassword: true } });
    const res = await call(c.mod[c.method] as Handler, c.key, c.method, c.entry!, await authHeaders(user), seeded);
    if (c.entry!.forcedOk) expect([401, 403]).not.toContain(res.status);
    else expect(res.status, `${c.method} ${c.key} must refuse until the password is changed`).toBe(403);
  });
});
