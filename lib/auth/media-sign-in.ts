// Media-user sign-in (PRODUCT.md §9): people who watch on a media server sign in to Marquee with
// that server's account, once an admin turned `mediaUserSignIn` on for the server.
// - Jellyfin/Emby: username + password, checked by the server (/Users/AuthenticateByName), with
//   the same throttling and the same generic failure as local passwords.
// - Plex: the plex.tv PIN flow; the PIN is bound to the browser that created it (a signed cookie),
//   and the plex.tv account must be the owner or a shared user of a Plex server with sign-in on.
// The person becomes a `viewer` whose history scope is their own media user on that server
// (allowedMediaUsers = ["<serverId>:<externalId>"]), linked by User.mediaIdentity. Marquee keeps
// neither their media-server password nor any token it got for them.
import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { db } from '../db';
import { env } from '../env';
import { recordAudit } from '../audit/record';
import { AppError } from '../http/errors';
import { authSecret } from '../secrets';
import { appVersion } from '../version';
import { decryptString } from '../crypto/encryption';
import { isMediaServerError } from '../media-servers';
import { authenticateByName, PlexTvClient, type MediaAccount } from '../media-servers/user-auth';
import { checkAccountWide, releaseAttempt, reserveAttempt } from './throttle';
import { bumpSessionVersion } from './session';
import type { RequestMeta } from './actor';
import type { SignInResult, SignedInUser } from './sign-in';
import type { MediaServer } from '@/generated/prisma/client';

/** The cookie binding a Plex PIN to the browser that asked for it. */
export const PLEX_PIN_COOKIE = 'marquee.plex-pin';
/** plex.tv keeps a strong PIN for 30 minutes; the browser binding lasts as long. */
export const PLEX_PIN_TTL_S = 30 * 60;
/** Never a valid argon2 hash: the account has no password (verifyPassword answers false). */
export const NO_PASSWORD = '!media-user-no-password';

export interface MediaSignInOptions {
  /** A Plex server lets its users in ("Sign in with Plex"). */
  plex: boolean;
  /** Jellyfin/Emby servers that let their users in (the form's server picker). */
  servers: { id: string; name: string; type: 'jellyfin' | 'emby' }[];
}

/** What /login offers: only enabled servers with media-user sign-in on. */
export async function mediaSignInOptions(): Promise<MediaSignInOptions> {
  const rows = await db.mediaServer.findMany({ where: { enabled: true, mediaUserSignIn: true }, select: { id: true, name: true, type: true }, orderBy: [{ name: 'asc' }, { id: 'asc' }] });
  return {
    plex: rows.some((r) => r.type === 'plex'),
    servers: rows.filter((r) => r.type !== 'plex').map((r) => ({ id: r.id, name: r.name, type: r.type as 'jellyfin' | 'emby' })),
  };
}

export const mediaIdentityOf = (serverId: string, externalId: string) => `${serverId}:${externalId}`;

/** The account of a media user: created on first sign-in (a viewer scoped to them), reused after. */
async function signInAs(server: Pick<MediaServer, 'id' | 'name' | 'type'>, account: MediaAccount, meta: RequestMeta, method: 'jellyfin' | 'emby' | 'plex'): Promise<SignInResult> {
  const identity = mediaIdentityOf(server.id, account.id);
  let user = await db.user.findUnique({ where: { mediaIdentity: identity } });
  let created = false;
  if (!user) {
    const suffix = randomBytes(4).toString('hex');
    try {
      user = await db.user.create({
        data: {
          // Never a deliverable address: the account is reached through its media server only.
          email: `media-${server.id}-${suffix}@media-users.invalid`.toLowerCase(),
          name: account.name.slice(0, 100) || 'Media user',
          passwordHash: NO_PASSWORD,
          role: 'viewer',
          mediaIdentity: identity,
          allowedMediaUsers: [identity],
        },
      });
      created = true;
    } catch (err) {
      // Two first sign-ins at once: the other one created it.
      user = await db.user.findUnique({ where: { mediaIdentity: identity } });
      if (!user) throw err;
    }
  }
  if (!user.active) {
    await recordAudit({ actor: null, action: 'auth.sign_in_failed', target: { type: 'user', id: user.id }, meta, detail: { method, serverId: server.id, reason: 'inactive' } });
    return { ok: false, reason: 'invalid_credentials' };
  }
  await db.user.update({ where: { id: user.id }, data: { lastLoginAt: new Date() } });
  await recordAudit({
    actor: null,
    action: 'auth.media_sign_in',
    target: { type: 'user', id: user.id },
    meta,
    detail: { method, serverId: server.id, serverName: server.name, mediaUserId: account.id, mediaUser: account.name, created },
  });
  const signedIn: SignedInUser = { id: user.id, email: user.email, name: user.name, role: user.role };
  return { ok: true, user: signedIn };
}

const throttleSubject = (serverId: string, username: string) => `media:${serverId}:${username.trim().toLowerCase()}`;

/**
 * A Jellyfin/Emby user's sign-in. Counted per (server + username, client) like a local password:
 * 5 failures lock that client out for 15 minutes; every failure answers `invalid_credentials`.
 */
export async function verifyMediaCredentials(serverId: string, username: string, password: string, meta: RequestMeta): Promise<SignInResult> {
  const server = await db.mediaServer.findUnique({ where: { id: serverId } });
  const failAudit = (reason: string, extra: Record<string, unknown> = {}) =>
    recordAudit({ actor: null, action: 'auth.sign_in_failed', target: { type: 'media_server', id: server?.id ?? null }, meta, detail: { method: 'media', serverId, username, reason, ...extra } });
  if (!server || !server.enabled || !server.mediaUserSignIn || server.type === 'plex') {
    await failAudit('sign_in_off');
    return { ok: false, reason: 'invalid_credentials' };
  }
  const subject = throttleSubject(server.id, username);
  const reserved = await reserveAttempt(subject, meta.ip);
  if (!reserved.allowed) {
    // Locked: the server is not even asked.
    await failAudit('locked', { lockedUntil: reserved.lockedUntil.toISOString() });
    return { ok: false, reason: 'invalid_credentials' };
  }
  let account: MediaAccount | null;
  try {
    account = await authenticateByName({ type: server.type, url: server.url, timeoutMs: env.MEDIA_SERVER_TIMEOUT_MS, version: appVersion() }, username, password);
  } catch (err) {
    // The server could not be asked: not a wrong password, so it does not count.
    await releaseAttempt(reserved.reservation);
    await failAudit('server_error', { error: isMediaServerError(err) ? err.code : 'unknown' });
    return { ok: false, reason: 'invalid_credentials' };
  }
  if (!account) {
    const accountLocked = await checkAccountWide(subject);
    await failAudit('wrong_password', { ...(reserved.lockedNow ? { locked: true } : {}), ...(accountLocked ? { accountLocked: true } : {}) });
    return { ok: false, reason: 'invalid_credentials' };
  }
  await releaseAttempt(reserved.reservation);
  // The toggle may have gone off while the server answered.
  const still = await db.mediaServer.findUnique({ where: { id: server.id }, select: { enabled: true, mediaUserSignIn: true } });
  if (!still?.enabled || !still.mediaUserSignIn) {
    await failAudit('sign_in_off');
    return { ok: false, reason: 'invalid_credentials' };
  }
  return signInAs(server, account, meta, server.type);
}

// ---- Plex (plex.tv PIN flow) ----

const PLEX_CLIENT_KEY = 'plex.client-identifier';

/** This install's X-Plex-Client-Identifier (a PIN can only be read back by the client that made it). */
export async function plexClientId(): Promise<string> {
  const row = await db.setting.findUnique({ where: { key: PLEX_CLIENT_KEY } });
  if (typeof row?.value === 'string') return row.value;
  await db.setting.createMany({ data: [{ key: PLEX_CLIENT_KEY, value: `marquee-${randomUUID()}` }], skipDuplicates: true });
  const created = await db.setting.findUniqueOrThrow({ where: { key: PLEX_CLIENT_KEY } });
  return created.value as string;
}

async function plexTv(): Promise<{ client: PlexTvClient; clientId: string }> {
  const clientId = await plexClientId();
  return { clientId, client: new PlexTvClient({ baseUrl: env.PLEX_TV_URL, clientId, timeoutMs: env.MEDIA_SERVER_TIMEOUT_MS, version: appVersion() }) };
}

const plexServersWithSignIn = () => db.mediaServer.findMany({ where: { type: 'plex', enabled: true, mediaUserSignIn: true }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });

function pinMac(pinId: number): string {
  return createHmac('sha256', authSecret()).update(`plex-pin:${pinId}`).digest('base64url');
}

/** The cookie value binding `pinId` to this browser. */
export function plexPinCookieValue(pinId: number): string {
  return `${pinId}.${pinMac(pinId)}`;
}

/** Whether the browser's cookie value binds this PIN. */
export function pinBound(pinId: number, cookieValue: string | null | undefined): boolean {
  if (!cookieValue) return false;
  const i = cookieValue.indexOf('.');
  if (i <= 0 || cookieValue.slice(0, i) !== String(pinId)) return false;
  const given = Buffer.from(cookieValue.slice(i + 1));
  const expected = Buffer.from(pinMac(pinId));
  return given.length === expected.length && timingSafeEqual(given, expected);
}

const noPlex = () => new AppError('media_sign_in_unavailable', 'Signing in with Plex is not turned on for any server.', { status: 404 });
const plexUnreachable = () => new AppError('plex_tv_unavailable', 'plex.tv could not be reached. Try again in a moment.', { status: 502 });

export interface CreatedPin {
  id: number;
  code: string;
  authUrl: string;
  expiresAt: string | null;
}

/** Starts "Sign in with Plex": a strong PIN from plex.tv and the URL the browser opens to link it. */
export async function createPlexPin(meta: RequestMeta): Promise<CreatedPin> {
  if ((await plexServersWithSignIn()).length === 0) throw noPlex();
  const { client, clientId } = await plexTv();
  let pin;
  try {
    pin = await client.createPin();
  } catch (err) {
    if (isMediaServerError(err)) throw plexUnreachable();
    throw err;
  }
  await recordAudit({ actor: null, action: 'auth.plex_pin_created', target: { type: 'plex_pin', id: String(pin.id) }, meta });
  return { id: pin.id, code: pin.code, authUrl: PlexTvClient.authUrl(clientId, pin.code), expiresAt: pin.expiresAt };
}

export function parsePinId(raw: unknown): number | null {
  const n = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\d{1,15}$/.test(raw) ? Number(raw) : NaN;
  return Number.isSafeInteger(n) && n > 0 ? n : null;
}

/** The page's poll: has the person linked the PIN yet? (The auth token itself never leaves the server.) */
export async function plexPinStatus(pinId: number, cookieValue: string | null | undefined): Promise<{ id: number; linked: boolean; expired: boolean }> {
  if (!pinBound(pinId, cookieValue)) throw new AppError('plex_pin_not_yours', 'This Plex PIN was not started in this browser. Start "Sign in with Plex" again.', { status: 403 });
  const { client } = await plexTv();
  let pin;
  try {
    pin = await client.getPin(pinId);
  } catch (err) {
    if (isMediaServerError(err)) throw plexUnreachable();
    throw err;
  }
  return { id: pinId, linked: !!pin?.authToken, expired: !pin };
}

/** Which Plex server (with sign-in on) knows this plex.tv account, and as which media user. */
async function matchPlexAccount(account: MediaAccount): Promise<{ server: MediaServer; mediaUserId: string } | null> {
  const servers = await plexServersWithSignIn();
  if (!servers.length) return null;
  // A shared user: their plex.tv id is their id on the server (synced media users).
  const shared = await db.mediaUser.findFirst({ where: { serverId: { in: servers.map((s) => s.id) }, externalId: account.id, isDisabled: false }, select: { serverId: true, externalId: true } });
  const byShare = shared ? servers.find((s) => s.id === shared.serverId) : undefined;
  if (byShare) return { server: byShare, mediaUserId: account.id };
  // The owner: the server's token is theirs, and the server knows them as local account 1.
  const { client } = await plexTv();
  for (const server of servers) {
    const token = decryptString(server.tokenEnc, undefined, `server:${server.id}`);
    const owner = await client.getUser(token).catch(() => null);
    if (owner?.id === account.id) return { server, mediaUserId: '1' };
  }
  return null;
}

/**
 * The credentials provider `plex`: re-reads the PIN from plex.tv (it must be bound to this browser
 * and linked), identifies the plex.tv account and signs it in. The auth token is dropped here.
 */
export async function verifyPlexPin(pinId: number, cookieValue: string | null | undefined, meta: RequestMeta): Promise<SignInResult> {
  const fail = async (reason: string, extra: Record<string, unknown> = {}) => {
    await recordAudit({ actor: null, action: 'auth.sign_in_failed', target: { type: 'plex_pin', id: String(pinId) }, meta, detail: { method: 'plex', reason, ...extra } });
    return { ok: false as const, reason: 'invalid_credentials' as const };
  };
  if (!pinBound(pinId, cookieValue)) return fail('pin_not_bound');
  if ((await plexServersWithSignIn()).length === 0) return fail('sign_in_off');
  const { client } = await plexTv();
  let account: MediaAccount | null;
  try {
    const pin = await client.getPin(pinId);
    if (!pin?.authToken) return fail(pin ? 'pin_not_linked' : 'pin_expired');
    account = await client.getUser(pin.authToken);
  } catch (err) {
    return fail('plex_tv_error', { error: isMediaServerError(err) ? err.code : 'unknown' });
  }
  if (!account) return fail('plex_token_refused');
  const match = await matchPlexAccount(account);
  if (!match) return fail('not_a_media_user', { plexAccountId: account.id });
  return signInAs(match.server, { id: match.mediaUserId, name: account.name }, meta, 'plex');
}

// ---- Turning it off ----

/**
 * Ends every session of the media users who signed in through this server (and revokes their API
 * tokens): turning media-user sign-in off, or deleting the server, locks them out now, not in 30 days.
 * Returns how many accounts were affected.
 */
export async function endMediaUserSessions(serverId: string): Promise<number> {
  const users = await db.user.findMany({ where: { mediaIdentity: { startsWith: `${serverId}:` } }, select: { id: true } });
  for (const u of users) {
    await bumpSessionVersion(u.id);
    await db.apiToken.updateMany({ where: { userId: u.id, revokedAt: null }, data: { revokedAt: new Date() } });
  }
  return users.length;
}

/** For an account that signs in through a media server (it has no Marquee password): which server. */
export async function mediaAccountOf(userId: string): Promise<{ serverId: string; serverName: string | null; serverType: string | null } | null> {
  const row = await db.user.findUnique({ where: { id: userId }, select: { mediaIdentity: true } });
  if (!row?.mediaIdentity) return null;
  const serverId = row.mediaIdentity.slice(0, row.mediaIdentity.indexOf(':'));
  const server = await db.mediaServer.findUnique({ where: { id: serverId }, select: { name: true, type: true } });
  return { serverId, serverName: server?.name ?? null, serverType: server?.type ?? null };
}

/** The Set-Cookie header binding a new PIN to this browser (HttpOnly; sent to /api/auth only). */
export function plexPinSetCookie(pinId: number, secure: boolean): string {
  return `${PLEX_PIN_COOKIE}=${plexPinCookieValue(pinId)}; Path=/api/auth; HttpOnly; SameSite=Lax; Max-Age=${PLEX_PIN_TTL_S}${secure ? '; Secure' : ''}`;
}
