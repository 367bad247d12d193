// Fake Jellyfin and Emby servers: the same JSON API, token in `Authorization: MediaBrowser Token="…"`,
// `X-Emby-Token`, `X-MediaBrowser-Token` or `api_key`. Identity, users and folders come from the fixtures.
import type { IncomingMessage } from 'node:http';
import { FakeMediaServer, PNG, fixtureJson, json, unauthorized, type FakeSession } from './core';

// Fixture JSON/XML trees are edited in place; typing every nested key would add nothing.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Obj = Record<string, any>;

function tokenOf(req: IncomingMessage, url: URL): string | null {
  const auth = String(req.headers['authorization'] ?? req.headers['x-emby-authorization'] ?? '');
  const m = /Token="([^"]*)"/i.exec(auth);
  if (m) return m[1]!;
  const header = req.headers['x-emby-token'] ?? req.headers['x-mediabrowser-token'];
  if (typeof header === 'string') return header;
  return url.searchParams.get('api_key') ?? url.searchParams.get('ApiKey');
}

const width = (h: number) => Math.round((h * 16) / 9);

abstract class FakeEmbyFamily extends FakeMediaServer {
  /** Answer POST /Library/Media/Updated with 400 (autoscan must fall back to POST /Library/Refresh). */
  refuseMediaUpdated = false;
  /** Media users' passwords by user name (POST /Users/AuthenticateByName); a user without one cannot sign in. */
  readonly passwords = new Map<string, string>();
  /** Every AuthenticateByName call: who, whether it passed, and the client's Authorization header. */
  readonly authAttempts: { username: string; ok: boolean; authorization: string }[] = [];
  /** Access tokens handed out by AuthenticateByName, and those ended again by POST /Sessions/Logout. */
  readonly issuedTokens = new Set<string>();
  readonly loggedOutTokens = new Set<string>();
  setPassword(username: string, password: string) { this.passwords.set(username, password); }

  /** POST /Users/AuthenticateByName and POST /Sessions/Logout with a user's token; null for anything else. */
  private userAuth(req: IncomingMessage, url: URL, body: string) {
    const method = req.method ?? 'GET';
    const path = url.pathname.replace(/\/+$/, '');
    const auth = String(req.headers['authorization'] ?? req.headers['x-emby-authorization'] ?? '');
    if (method === 'POST' && /^\/Users\/AuthenticateByName$/i.test(path)) {
      // Like the real servers: a client must say who it is (Client, Device, DeviceId, Version).
      if (!/^(MediaBrowser|Emby)\s/i.test(auth) || !/DeviceId="[^"]+"/i.test(auth) || !/Client="[^"]+"/i.test(auth)) return { status: 400, type: 'text/plain', body: 'Invalid authorization header.' };
      let parsed: Obj;
      try { parsed = JSON.parse(body) as Obj; } catch { return { status: 400, type: 'text/plain', body: 'Invalid body' }; }
      const username = String(parsed.Username ?? '');
      const user = this.users().find((u) => String(u.Name).toLowerCase() === username.toLowerCase());
      const ok = !!user && this.passwords.get(String(user.Name)) === String(parsed.Pw ?? '');
      this.authAttempts.push({ username, ok, authorization: auth });
      if (!ok) return { status: 401, type: 'text/plain', body: 'Error processing request.' };
      const token = `user-token-${Math.random().toString(36).slice(2, 12)}`;
      this.issuedTokens.add(token);
      return json({ User: this.userWithAccess(user!), SessionInfo: { Id: `session-${token}`, UserId: user!.Id, UserName: user!.Name, Client: 'Marquee' }, AccessToken: token, ServerId: this.systemInfo().Id });
    }
    if (method === 'POST' && /^\/Sessions\/Logout$/i.test(path)) {
      const token = tokenOf(req, url);
      if (!token || !this.issuedTokens.has(token) || this.loggedOutTokens.has(token)) return unauthorized();
      this.loggedOutTokens.add(token);
      return { status: 204 };
    }
    return null;
  }
  protected abstract publicInfo(): Obj;
  protected abstract systemInfo(): Obj;
  protected abstract users(): Obj[];
  protected abstract folders(): Obj[];
  protected abstract folderPolicyId(folder: Obj): string;
  protected abstract wrapList(items: Obj[]): unknown;
  protected abstract usersPath: string;
  protected abstract foldersPath: string;

  protected isAuthorized(req: IncomingMessage, url: URL): boolean {
    return tokenOf(req, url) === this.token;
  }

  protected renderSession(s: FakeSession): Obj {
    const [template] = fixtureJson<Obj[]>('jellyfin', 'sessions_SYNTHESIZED.json');
    const out = structuredClone(template!);
    const item = out.NowPlayingItem;
    out.Id = s.id;
    out.UserId = s.userId;
    out.UserName = s.user;
    out.RemoteEndPoint = s.ipAddress;
    out.DeviceName = s.player;
    out.ServerId = item.ServerId = this.systemInfo().Id;
    item.Name = s.title;
    item.Id = `item-${s.id}`;
    item.Type = s.mediaType === 'movie' ? 'Movie' : s.mediaType === 'track' ? 'Audio' : 'Episode';
    item.MediaType = s.mediaType === 'track' ? 'Audio' : 'Video';
    if (s.mediaType === 'episode') {
      item.SeriesName = s.grandparentTitle;
      item.ParentIndexNumber = s.season;
      item.IndexNumber = s.episode;
    } else {
      delete item.SeriesName; delete item.SeriesId; delete item.SeasonId; delete item.SeasonName;
      delete item.ParentIndexNumber; delete item.IndexNumber;
    }
    item.RunTimeTicks = s.durationMs * 10_000;
    const [video, audio, sub] = item.MediaStreams as Obj[];
    video!.Height = s.sourceHeight;
    video!.Width = width(s.sourceHeight);
    video!.VideoRangeType = s.hdr === 'DV' ? 'DOVI' : s.hdr === 'HDR10' ? 'HDR10' : 'SDR';
    video!.VideoRange = s.hdr ? 'HDR' : 'SDR';
    if (!s.hdr) { delete video!.ColorTransfer; delete video!.ColorSpace; delete video!.ColorPrimaries; }
    audio!.BitRate = 640_000;
    video!.BitRate = Math.max(0, s.bandwidthKbps * 1000 - 640_000);
    item.MediaStreams = s.mediaType === 'track' ? [audio] : [video, audio, sub];
    out.PlayState.PositionTicks = s.progressMs * 10_000;
    out.PlayState.IsPaused = s.state === 'paused';
    out.PlayState.PlayMethod = s.decision === 'transcode' ? 'Transcode' : s.decision === 'directstream' ? 'DirectStream' : 'DirectPlay';
    if (s.decision === 'transcode') {
      out.TranscodingInfo.Height = s.streamHeight;
      out.TranscodingInfo.Width = width(s.streamHeight);
      out.TranscodingInfo.Bitrate = s.bandwidthKbps * 1000;
      out.TranscodingInfo.IsVideoDirect = s.streamHeight === s.sourceHeight && !s.hdr;
    } else {
      delete out.TranscodingInfo;
    }
    return out;
  }

  protected userWithAccess(u: Obj): Obj {
    const access = this.access.get(String(u.Id));
    const policy = { ...u.Policy, EnableAllFolders: access ? access.allLibraries : (u.Policy?.EnableAllFolders ?? true), EnabledFolders: access?.libraryIds ?? u.Policy?.EnabledFolders ?? [] };
    return { ...u, Policy: policy };
  }

  protected handle(req: IncomingMessage, url: URL, body: string, authorized: boolean) {
    const method = req.method ?? 'GET';
    const path = url.pathname.replace(/\/+$/, '') || '/';
    if (method === 'GET' && /^\/System\/Info\/Public$/i.test(path)) return json(this.publicInfo());
    const signIn = this.userAuth(req, url, body);
    if (signIn) return signIn;
    if (!authorized) return unauthorized();
    if (method === 'GET' && /^\/System\/Info$/i.test(path)) return json(this.systemInfo());
    if (method === 'GET' && /^\/Sessions$/i.test(path)) {
      const idle = fixtureJson<Obj[]>('jellyfin', 'sessions_SYNTHESIZED.json')[2];
      return json([...[...this.sessions.values()].map((s) => this.renderSession(s)), idle]);
    }
    let m = /^\/Sessions\/([^/]+)\/Message$/i.exec(path);
    if (method === 'POST' && m) {
      if (!this.sessions.has(decodeURIComponent(m[1]!))) return { status: 404, body: 'Session not found' };
      const parsed = body ? (JSON.parse(body) as Obj) : {};
      this.record({ kind: 'message', sessionId: decodeURIComponent(m[1]!), message: parsed.Text ?? url.searchParams.get('Text') ?? undefined });
      return { status: 204 };
    }
    m = /^\/Sessions\/([^/]+)\/Playing\/Stop$/i.exec(path);
    if (method === 'POST' && m) {
      const id = decodeURIComponent(m[1]!);
      if (!this.sessions.has(id)) return { status: 404, body: 'Session not found' };
      const message = [...this.calls].reverse().find((c) => c.kind === 'message' && c.sessionId === id)?.message;
      this.record({ kind: 'terminate', sessionId: id, message });
      this.sessions.delete(id);
      return { status: 204 };
    }
    if (method === 'GET' && path.toLowerCase() === this.usersPath.toLowerCase()) return json(this.wrapList(this.users()));
    if (method === 'GET' && path.toLowerCase() === this.foldersPath.toLowerCase()) return json(this.wrapList(this.folders()));
    m = /^\/Users\/([^/]+)$/i.exec(path);
    if (method === 'GET' && m) {
      const u = this.users().find((x) => x.Id === m![1]);
      return u ? json(this.userWithAccess(u)) : { status: 404, body: 'User not found' };
    }
    m = /^\/Users\/([^/]+)\/Policy$/i.exec(path);
    if (method === 'POST' && m) {
      const policy = JSON.parse(body) as Obj;
      // Like the real servers, folders are matched by their policy id and anything else is
      // silently dropped (the user then simply gets no access to it).
      const known = new Set(this.folders().map((f) => this.folderPolicyId(f)));
      const enabled = ((policy.EnabledFolders ?? []) as unknown[]).map(String).filter((id) => known.has(id));
      this.access.set(m[1]!, { allLibraries: policy.EnableAllFolders !== false, libraryIds: enabled });
      this.record({ kind: 'library-access', userId: m[1]!, body: policy });
      return { status: 204 };
    }
    if (method === 'POST' && /^\/Library\/Media\/Updated$/i.test(path)) {
      // Some setups (an old Emby, a plugin, a locked-down API key) refuse a path scan.
      if (this.refuseMediaUpdated) return { status: 400, type: 'text/plain', body: 'Error processing request.' };
      const parsed = JSON.parse(body) as { Updates?: { Path: string }[] };
      for (const u of parsed.Updates ?? []) this.record({ kind: 'scan', path: u.Path, body: { call: 'media-updated' } });
      return { status: 204 };
    }
    if (method === 'POST' && /^\/Library\/Refresh$/i.test(path)) {
      this.record({ kind: 'scan', body: { call: 'library-refresh' } });
      return { status: 204 };
    }
    if (method === 'GET' && /^\/Items\/[^/]+\/Images\/Primary$/i.test(path)) return { status: 200, type: 'image/png', body: PNG };
    return null;
  }
}

export class FakeJellyfin extends FakeEmbyFamily {
  readonly type = 'jellyfin' as const;
  protected usersPath = '/Users';
  protected foldersPath = '/Library/VirtualFolders';
  constructor(token = 'jellyfin-api-key') { super(token); }
  protected publicInfo() { return fixtureJson<Obj>('jellyfin', 'system_info_public_SYNTHESIZED.json'); }
  protected systemInfo() { return fixtureJson<Obj>('jellyfin', 'system_info_SYNTHESIZED.json'); }
  protected users() { return fixtureJson<Obj[]>('jellyfin', 'users_SYNTHESIZED.json'); }
  protected folders() { return fixtureJson<Obj[]>('jellyfin', 'virtual_folders_SYNTHESIZED.json'); }
  /** Jellyfin's EnabledFolders hold the library's ItemId. */
  protected folderPolicyId(f: Obj) { return String(f.ItemId); }
  protected wrapList(items: Obj[]) { return items; }
}

export class FakeEmby extends FakeEmbyFamily {
  readonly type = 'emby' as const;
  protected usersPath = '/Users/Query';
  protected foldersPath = '/Library/VirtualFolders/Query';
  constructor(token = 'emby-api-key') { super(token); }
  protected publicInfo() {
    const i = this.systemInfo();
    return { LocalAddress: i.LocalAddress, ServerName: i.ServerName, Version: i.Version, Id: i.Id };
  }
  protected systemInfo() { return fixtureJson<Obj>('emby', 'system_info_SYNTHESIZED.json'); }
  protected users() {
    const data = fixtureJson<{ Items: Obj[] }>('emby', 'users_query_SYNTHESIZED.json');
    const admin = data.Items[0]!;
    // The fixture has only the admin; a second, restricted user makes access editing visible.
    const guest = { ...structuredClone(admin), Name: 'guest', Id: '7b5c1d2e3f40516273849a0b1c2d3e4f', Policy: { ...admin.Policy, IsAdministrator: false, IsHidden: false, EnableAllFolders: false, EnabledFolders: ['0f9e8d7c6b5a49382716150413f2e1d0'] } }; // library 240253's Guid
    return [admin, guest];
  }
  protected folders() { return fixtureJson<{ Items: Obj[] }>('emby', 'virtual_folders_query_SYNTHESIZED.json').Items; }
  /** Emby (4.7 and later) matches EnabledFolders against the library's Guid, not its numeric Id. */
  protected folderPolicyId(f: Obj) { return String(f.Guid); }
  protected wrapList(items: Obj[]) { return { Items: items, TotalRecordCount: items.length }; }
}
