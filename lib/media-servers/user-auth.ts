// Media users proving who they are, for media-user sign-in (lib/auth/media-sign-in.ts):
// - Jellyfin/Emby: POST /Users/AuthenticateByName with their username and password; the access
//   token the server hands out is logged out again at once (Marquee keeps neither).
// - Plex: the plex.tv PIN flow (POST /api/v2/pins?strong=true, the person links it at
//   app.plex.tv/auth, GET /api/v2/pins/{id} then carries an authToken) and GET /api/v2/user to
//   learn which plex.tv account it is.
// Every call goes through HttpClient: a timeout, same-origin redirects only, a response size cap.
import { randomBytes } from 'node:crypto';
import { HttpClient } from './http-client';
import { MediaServerError } from './errors';

export const CLIENT_NAME = 'Marquee';

export interface MediaAccount {
  /** The server's own id for the user (Jellyfin/Emby User.Id, plex.tv account id). */
  id: string;
  name: string;
}

const quote = (v: string) => v.replace(/["\\]/g, '');

/** The `Authorization: MediaBrowser …` header Jellyfin and Emby expect from a client. */
export function mediaBrowserAuthorization(deviceId: string, version: string, token?: string): string {
  const parts = [`Client="${CLIENT_NAME}"`, `Device="${CLIENT_NAME}"`, `DeviceId="${quote(deviceId)}"`, `Version="${quote(version)}"`];
  if (token) parts.push(`Token="${quote(token)}"`);
  return `MediaBrowser ${parts.join(', ')}`;
}

const obj = (v: unknown): Record<string, unknown> | null => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null);

/**
 * Checks a Jellyfin/Emby user's password with the server itself. Resolves the user on success,
 * null when the server refuses the credentials (401/403); throws MediaServerError when the
 * server cannot be asked (unreachable, timeout, a broken answer).
 */
export async function authenticateByName(
  server: { type: 'jellyfin' | 'emby'; url: string; timeoutMs: number; version: string },
  username: string,
  password: string,
): Promise<MediaAccount | null> {
  const label = server.type === 'emby' ? 'The Emby server' : 'The Jellyfin server';
  // A device of its own per attempt: the server's session for it is ours to end, no one else's.
  const deviceId = `marquee-sign-in-${randomBytes(8).toString('hex')}`;
  const http = new HttpClient({
    baseUrl: server.url,
    headers: { Authorization: mediaBrowserAuthorization(deviceId, server.version), 'X-Emby-Authorization': mediaBrowserAuthorization(deviceId, server.version) },
    timeoutMs: server.timeoutMs,
    label,
  });
  const res = await http.request('/Users/AuthenticateByName', { method: 'POST', body: { Username: username, Pw: password }, allowStatus: [400, 401, 403] });
  const data = await jsonIfOk(res, `${label} sent a sign-in answer that is not valid JSON.`);
  if (data === NOT_OK) return null;
  const user = obj(obj(data)?.User);
  const id = typeof user?.Id === 'string' ? user.Id : null;
  const token = obj(data)?.AccessToken;
  if (typeof token === 'string' && token) {
    // The media-server session is not needed: end it (best effort; nothing is kept either way).
    const withToken = new HttpClient({
      baseUrl: server.url,
      headers: { Authorization: mediaBrowserAuthorization(deviceId, server.version, token), 'X-Emby-Token': token },
      timeoutMs: server.timeoutMs,
      label,
    });
    await withToken.request('/Sessions/Logout', { method: 'POST', allowStatus: [204, 401, 403, 404] }).then((r) => r.body?.cancel(), () => {});
  }
  if (!id) throw new MediaServerError('bad_response', `${label} accepted the sign-in but named no user.`);
  return { id, name: typeof user?.Name === 'string' && user.Name ? user.Name : username };
}

const NOT_OK = Symbol('not ok');

/** A 200's JSON body; NOT_OK (body discarded) for any other status the caller allowed; bad JSON → bad_response. */
async function jsonIfOk(res: Response, badJson: string): Promise<unknown> {
  if (res.status !== 200) {
    await res.body?.cancel();
    return NOT_OK;
  }
  try {
    return await res.json();
  } catch (err) {
    throw new MediaServerError('bad_response', badJson, { cause: err });
  }
}

export interface PlexPin {
  id: number;
  code: string;
  /** Set once the person linked the PIN at app.plex.tv/auth. */
  authToken: string | null;
  expiresAt: string | null;
}

/** plex.tv, as a client identifying itself with `clientId` (the PIN belongs to that client). */
export class PlexTvClient {
  private readonly http: HttpClient;
  private readonly headers: Record<string, string>;
  private readonly opts: { baseUrl: string; timeoutMs: number; label: string };
  constructor(opts: { baseUrl: string; clientId: string; timeoutMs: number; version: string }) {
    this.headers = { 'X-Plex-Client-Identifier': opts.clientId, 'X-Plex-Product': CLIENT_NAME, 'X-Plex-Version': opts.version, 'X-Plex-Device-Name': CLIENT_NAME };
    this.opts = { baseUrl: opts.baseUrl, timeoutMs: opts.timeoutMs, label: 'plex.tv' };
    this.http = new HttpClient({ ...this.opts, headers: this.headers });
  }

  static authUrl(clientId: string, code: string): string {
    const params = `clientID=${encodeURIComponent(clientId)}&code=${encodeURIComponent(code)}&context%5Bdevice%5D%5Bproduct%5D=${encodeURIComponent(CLIENT_NAME)}`;
    return `https://app.plex.tv/auth#?${params}`;
  }

  async createPin(): Promise<PlexPin> {
    return parsePin(await this.http.json('/api/v2/pins', { method: 'POST', query: { strong: 'true' } }));
  }

  /** The PIN's state; null when plex.tv no longer knows it (expired or never existed). */
  async getPin(id: number): Promise<PlexPin | null> {
    const res = await this.http.request(`/api/v2/pins/${id}`, { allowStatus: [404] });
    const data = await jsonIfOk(res, 'plex.tv sent a PIN that is not valid JSON.');
    return data === NOT_OK ? null : parsePin(data);
  }

  /** The plex.tv account an auth token belongs to; null when plex.tv refuses the token. */
  async getUser(token: string): Promise<MediaAccount | null> {
    const http = new HttpClient({ ...this.opts, headers: { ...this.headers, 'X-Plex-Token': token } });
    const res = await http.request('/api/v2/user', { allowStatus: [401, 403] });
    const data = await jsonIfOk(res, 'plex.tv sent an account that is not valid JSON.');
    if (data === NOT_OK) return null;
    const o = obj(data);
    const id = typeof o?.id === 'number' || typeof o?.id === 'string' ? String(o.id) : null;
    if (!id) throw new MediaServerError('bad_response', 'plex.tv sent an account without an id.');
    const name = [o?.username, o?.title, o?.email].find((v): v is string => typeof v === 'string' && v.length > 0) ?? `Plex user ${id}`;
    return { id, name };
  }
}

function parsePin(data: unknown): PlexPin {
  const o = obj(data);
  const id = typeof o?.id === 'number' ? o.id : Number(o?.id);
  if (!o || !Number.isSafeInteger(id) || typeof o.code !== 'string') throw new MediaServerError('bad_response', 'plex.tv sent a PIN without an id or code.');
  return {
    id,
    code: o.code,
    authToken: typeof o.authToken === 'string' && o.authToken ? o.authToken : null,
    expiresAt: typeof o.expiresAt === 'string' ? o.expiresAt : null,
  };
}
