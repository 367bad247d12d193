// Jellyfin and Emby share most of their API (Jellyfin forked Emby): one base client, two small
// subclasses for the differences (auth header, users/libraries endpoints, identity check).
import { MediaServerError } from './errors';
import { HttpClient } from './http-client';
import {
  TICKS_PER_MS, arr, hdrFromRangeType, isPrivateAddress, num, overallDecision, resolutionFromSize, str,
} from './normalize';
import type {
  Library, LibraryAccess, MediaServerProvider, MediaType, MediaUser, ProviderSession, ServerConfig, ServerIdentity, StreamDecision,
} from './types';

type Obj = Record<string, unknown>;

function isObj(x: unknown): x is Obj {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function mediaTypeOf(t: unknown): MediaType {
  switch (str(t)) {
    case 'Movie': return 'movie';
    case 'Episode': return 'episode';
    case 'Audio': return 'track';
    default: return 'other';
  }
}

/** Maps one /Sessions element to a normalized session, or null when nothing is playing. */
export function parseEmbySession(raw: unknown): ProviderSession | null {
  if (!isObj(raw)) return null;
  const item = raw.NowPlayingItem;
  if (!isObj(item)) return null;
  const play = isObj(raw.PlayState) ? raw.PlayState : {};
  const tx = isObj(raw.TranscodingInfo) ? raw.TranscodingInfo : null;
  const streams = arr(item.MediaStreams as Obj[]).filter(isObj);
  const video = streams.find((s) => s.Type === 'Video');
  const mediaType = mediaTypeOf(item.Type);
  const hasVideo = video !== undefined || (str(item.MediaType) === 'Video' && mediaType !== 'track');
  const method = str(play.PlayMethod);

  let videoDecision: StreamDecision | null;
  let audioDecision: StreamDecision;
  if (method === 'Transcode' && tx) {
    videoDecision = hasVideo ? (tx.IsVideoDirect === true ? 'directstream' : 'transcode') : null;
    audioDecision = tx.IsAudioDirect === true ? 'directstream' : 'transcode';
  } else if (method === 'Transcode') {
    videoDecision = hasVideo ? 'transcode' : null;
    audioDecision = 'transcode';
  } else if (method === 'DirectStream') {
    videoDecision = hasVideo ? 'directstream' : null;
    audioDecision = 'directstream';
  } else {
    videoDecision = hasVideo ? 'directplay' : null;
    audioDecision = 'directplay';
  }
  const decision = overallDecision(videoDecision, audioDecision);

  const sourceResolution = hasVideo ? resolutionFromSize(num(video?.Width), num(video?.Height)) : null;
  const streamResolution = hasVideo && videoDecision === 'transcode' && tx
    ? (resolutionFromSize(num(tx.Width), num(tx.Height)) ?? sourceResolution)
    : sourceResolution;

  let bandwidthBps = 0;
  if (decision === 'transcode' && tx) bandwidthBps = num(tx.Bitrate) ?? 0;
  if (!bandwidthBps) bandwidthBps = num(item.Bitrate) ?? streams.reduce((sum, s) => sum + (num(s.BitRate) ?? 0), 0);

  const ip = str(raw.RemoteEndPoint);
  const isEpisode = mediaType === 'episode';
  const paused = play.IsPaused === true;
  return {
    sessionKey: String(raw.Id),
    mediaUserId: str(raw.UserId),
    mediaUser: str(raw.UserName),
    title: str(item.Name) ?? 'Unknown',
    grandparentTitle: isEpisode ? str(item.SeriesName) : mediaType === 'track' ? (str(item.AlbumArtist) ?? str(item.Album)) : null,
    parentIndex: num(item.ParentIndexNumber),
    index: num(item.IndexNumber),
    mediaType,
    state: paused ? 'paused' : 'playing',
    progressMs: Math.round((num(play.PositionTicks) ?? 0) / TICKS_PER_MS),
    durationMs: Math.round((num(item.RunTimeTicks) ?? 0) / TICKS_PER_MS),
    player: str(raw.DeviceName),
    platform: str(raw.Client),
    product: [str(raw.Client), str(raw.ApplicationVersion)].filter(Boolean).join(' ') || null,
    ipAddress: ip,
    isLocal: isPrivateAddress(ip),
    decision,
    videoDecision,
    audioDecision,
    sourceResolution,
    streamResolution,
    hdr: hasVideo && video ? hdrFromRangeType(video.VideoRangeType, video.VideoRange, video.ColorTransfer) : null,
    bandwidthKbps: Math.round(bandwidthBps / 1000),
    thumb: isEpisode ? (str(item.SeriesId) ?? str(item.Id)) : (str(item.PrimaryImageItemId) ?? str(item.Id)),
    itemId: str(item.Id),
  };
}

export function parseEmbySessions(data: unknown): ProviderSession[] {
  if (!Array.isArray(data)) throw new MediaServerError('bad_response', 'The server sent /Sessions that is not a list.');
  return data.map(parseEmbySession).filter((s): s is ProviderSession => s !== null);
}

function items(data: unknown, what: string): Obj[] {
  const list = Array.isArray(data) ? data : isObj(data) && Array.isArray(data.Items) ? data.Items : null;
  if (!list) throw new MediaServerError('bad_response', `The server sent ${what} in an unexpected shape.`);
  return list.filter(isObj);
}

export function parseEmbyUsers(data: unknown): MediaUser[] {
  return items(data, 'users').map((u) => {
    const policy = isObj(u.Policy) ? u.Policy : {};
    return { id: String(u.Id), name: str(u.Name) ?? String(u.Id), isAdmin: policy.IsAdministrator === true, isDisabled: policy.IsDisabled === true };
  });
}

/**
 * Library ids are what the user policy's EnabledFolders holds: Jellyfin's VirtualFolders give the
 * ItemId; Emby (4.7+) matches EnabledFolders against the library's Guid and silently ignores its
 * numeric ItemId/Id there, so an Emby library is known by its Guid.
 */
export function parseEmbyLibraries(data: unknown): Library[] {
  return items(data, 'libraries').map((f) => ({
    id: String(f.Guid ?? f.ItemId ?? f.Id),
    name: str(f.Name) ?? 'Library',
    type: str(f.CollectionType),
    paths: arr(f.Locations as string[]).map(String),
  }));
}

export function parseEmbyPolicyAccess(user: unknown): LibraryAccess {
  const policy = isObj(user) && isObj(user.Policy) ? user.Policy : null;
  if (!policy) throw new MediaServerError('bad_response', 'The server sent a user without a Policy.');
  return { allLibraries: policy.EnableAllFolders !== false, libraryIds: arr(policy.EnabledFolders as string[]).map(String) };
}

/** Where Jellyfin and Emby differ for Marquee. */
interface EmbyFamilyVariant {
  name: 'Jellyfin' | 'Emby';
  headers: Record<string, string>;
  usersPath: string;
  librariesPath: string;
  /** Why a server of the other product is refused. */
  otherProduct: string;
}

export abstract class EmbyFamilyProvider implements MediaServerProvider {
  abstract readonly type: 'jellyfin' | 'emby';
  protected readonly http: HttpClient;

  constructor(config: ServerConfig, private readonly variant: EmbyFamilyVariant) {
    this.http = new HttpClient({ baseUrl: config.url, headers: variant.headers, timeoutMs: config.timeoutMs ?? 8000, label: `The ${variant.name} server` });
  }

  async testConnection(): Promise<ServerIdentity> {
    let info: unknown;
    try {
      info = await this.http.json('/System/Info/Public');
    } catch (err) {
      if (err instanceof MediaServerError && (err.code === 'not_found' || err.code === 'bad_response' || err.code === 'invalid_credentials')) {
        throw new MediaServerError('wrong_server_type', `That URL does not answer like a ${this.variant.name} server (no /System/Info/Public).`, { cause: err });
      }
      throw err;
    }
    if (!isObj(info) || !str(info.Id)) throw new MediaServerError('wrong_server_type', `That URL does not answer like a ${this.variant.name} server.`);
    // Jellyfin forked Emby and answers alike: only the product name tells them apart.
    if (/jellyfin/i.test(str(info.ProductName) ?? '') !== (this.type === 'jellyfin')) throw new MediaServerError('wrong_server_type', this.variant.otherProduct);
    const full = await this.http.json('/System/Info');
    const src = isObj(full) ? full : info;
    return { type: this.type, machineId: String(src.Id ?? info.Id), name: str(src.ServerName), version: str(src.Version) };
  }

  async listSessions(): Promise<ProviderSession[]> {
    return parseEmbySessions(await this.http.json('/Sessions', { query: { ActiveWithinSeconds: 960 } }));
  }

  async terminateSession(sessionKey: string, message?: string): Promise<void> {
    const id = encodeURIComponent(sessionKey);
    if (message) {
      await this.http.request(`/Sessions/${id}/Message`, { method: 'POST', body: { Header: 'Marquee', Text: message, TimeoutMs: 10000 } });
    }
    await this.http.request(`/Sessions/${id}/Playing/Stop`, { method: 'POST' });
  }

  async listUsers(): Promise<MediaUser[]> {
    return parseEmbyUsers(await this.http.json(this.variant.usersPath));
  }

  async listLibraries(): Promise<Library[]> {
    return parseEmbyLibraries(await this.http.json(this.variant.librariesPath));
  }

  async getLibraryAccess(userId: string): Promise<LibraryAccess> {
    return parseEmbyPolicyAccess(await this.http.json(`/Users/${encodeURIComponent(userId)}`));
  }

  async setLibraryAccess(userId: string, access: LibraryAccess): Promise<void> {
    const user = await this.http.json(`/Users/${encodeURIComponent(userId)}`);
    if (!isObj(user) || !isObj(user.Policy)) throw new MediaServerError('bad_response', 'The server sent a user without a Policy.');
    // The endpoint replaces the whole policy, so send back everything else unchanged.
    const policy = { ...user.Policy, EnableAllFolders: access.allLibraries, EnabledFolders: access.allLibraries ? [] : access.libraryIds };
    await this.http.request(`/Users/${encodeURIComponent(userId)}/Policy`, { method: 'POST', body: policy });
  }

  async refreshPath(_libraryId: string, path: string): Promise<void> {
    await this.http.request('/Library/Media/Updated', { method: 'POST', body: { Updates: [{ Path: path, UpdateType: 'Modified' }] } });
  }

  /** Jellyfin and Emby refresh every library at once: they have no per-library scan endpoint for API keys. */
  async refreshLibrary(): Promise<void> {
    await this.http.request('/Library/Refresh', { method: 'POST' });
  }

  async fetchImage(thumb: string) {
    return this.http.binary(`/Items/${encodeURIComponent(thumb)}/Images/Primary`, { query: { maxHeight: 450 } });
  }
}

export class JellyfinProvider extends EmbyFamilyProvider {
  readonly type = 'jellyfin' as const;
  constructor(config: ServerConfig) {
    super(config, {
      name: 'Jellyfin',
      headers: { Authorization: `MediaBrowser Client="Marquee", Device="Marquee", DeviceId="marquee", Version="0.1.0", Token="${config.token}"` },
      usersPath: '/Users',
      librariesPath: '/Library/VirtualFolders',
      otherProduct: 'That server is not Jellyfin (it looks like Emby). Pick the Emby type.',
    });
  }
}

export class EmbyProvider extends EmbyFamilyProvider {
  readonly type = 'emby' as const;
  constructor(config: ServerConfig) {
    super(config, {
      name: 'Emby',
      headers: { 'X-Emby-Token': config.token },
      usersPath: '/Users/Query',
      librariesPath: '/Library/VirtualFolders/Query',
      otherProduct: 'That server is Jellyfin, not Emby. Pick the Jellyfin type.',
    });
  }
}
