// Plex Media Server: XML (or JSON) over HTTP with X-Plex-Token. Library sharing lives on plex.tv.
import { MediaServerError } from './errors';
import { parsePlexXml } from './plex-xml';
import { HttpClient } from './http-client';
import {
  arr, bool, decisionFromWord, hdrFromTransfer, isPrivateAddress, normalizeResolutionLabel, num, one,
  overallDecision, resolutionFromSize, str,
} from './normalize';
import type {
  HdrType, Library, LibraryAccess, MediaServerProvider, MediaType, MediaUser, PlaybackState, ProviderSession,
  ServerConfig, ServerIdentity, StreamDecision,
} from './types';

type Node = Record<string, unknown>;
const LABEL = 'The Plex server';
const ITEM_TAGS = ['Video', 'Track', 'Photo', 'Episode', 'Movie'];


/** Parses a Plex response (XML or JSON) and returns its MediaContainer. */
export function parsePlexContainer(text: string, label = LABEL): Node {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    let data: unknown;
    try {
      data = JSON.parse(trimmed);
    } catch (err) {
      throw new MediaServerError('bad_response', `${label} sent invalid JSON.`, { cause: err });
    }
    const mc = (data as Node | null)?.MediaContainer;
    if (!mc || typeof mc !== 'object') throw new MediaServerError('bad_response', `${label} sent JSON without a MediaContainer.`);
    return mc as Node;
  }
  if (!trimmed.startsWith('<')) throw new MediaServerError('bad_response', `${label} sent neither XML nor JSON.`);
  const parsed = parsePlexXml(trimmed);
  if ('error' in parsed) throw new MediaServerError('bad_response', `${label} sent malformed XML (${parsed.error}).`);
  const mc = parsed.doc.MediaContainer;
  if (mc === undefined) throw new MediaServerError('bad_response', `${label} sent XML without a MediaContainer.`);
  return (typeof mc === 'object' && mc ? mc : {}) as Node;
}

function sessionItems(mc: Node): Node[] {
  if (Array.isArray(mc.Metadata)) return mc.Metadata as Node[];
  return ITEM_TAGS.flatMap((t) => arr(mc[t] as Node | Node[]));
}

function mediaTypeOf(t: unknown): MediaType {
  const s = str(t);
  if (s === 'movie' || s === 'clip') return 'movie';
  if (s === 'episode') return 'episode';
  if (s === 'track') return 'track';
  return 'other';
}

function stateOf(s: unknown): PlaybackState {
  const v = str(s);
  return v === 'paused' ? 'paused' : v === 'buffering' ? 'buffering' : 'playing';
}

function plexHdr(stream: Node | undefined): HdrType | null {
  if (!stream) return null;
  if (bool(stream.DOVIPresent)) return 'DV';
  const title = `${str(stream.extendedDisplayTitle) ?? ''} ${str(stream.displayTitle) ?? ''}`;
  if (/dolby vision|\bDoVi\b/i.test(title)) return 'DV';
  if (/HDR10\+/i.test(title)) return 'HDR10+';
  if (/\bHDR10\b/i.test(title)) return 'HDR10';
  if (/\bHLG\b/i.test(title)) return 'HLG';
  return hdrFromTransfer(stream.colorTrc);
}

const videoStreamOf = (media: Node | undefined): Node | undefined =>
  arr((one(media?.Part as Node | Node[]) ?? {}).Stream as Node | Node[]).find((s) => String(s.streamType) === '1');

/** "4K HDR10 (HEVC Main 10)", "1080p (H.264)", "1080i (MPEG2VIDEO)", "SD (MPEG-4)" → the resolution word. */
function resolutionFromDisplayTitle(title: unknown): string | null {
  const m = /^\s*(4K|8K|SD|\d{3,4}[pi])\b/i.exec(str(title) ?? '');
  return m ? normalizeResolutionLabel(m[1]) : null;
}

/** Whether Plex is transcoding this session's video (its Media then describes the transcoder's output). */
function videoIsTranscoded(item: Node): boolean {
  const media = one(item.Media as Node | Node[]);
  const transcode = one((item.TranscodeSession ?? media?.TranscodeSession) as Node | Node[]);
  return decisionFromWord(transcode?.videoDecision ?? videoStreamOf(media)?.decision) === 'transcode';
}

/**
 * Maps one /status/sessions item to the normalized session. While Plex transcodes video, the
 * session's Media/Stream attributes describe the transcoder's OUTPUT (the plexopedia fixture: h264
 * over dash while the TranscodeSession says sourceVideoCodec="hevc"); only the stream's displayTitle
 * still names the source. `sourceMedia` — the matching Media of /library/metadata/{ratingKey}, as
 * Tautulli reads it — gives the source's resolution and HDR when the caller fetched it.
 */
export function parsePlexSession(item: Node, sourceMedia?: Node): ProviderSession {
  const media = one(item.Media as Node | Node[]) ?? {};
  const part = one(media.Part as Node | Node[]) ?? {};
  const streams = arr(part.Stream as Node | Node[]);
  const videoStream = streams.find((s) => String(s.streamType) === '1');
  const audioStream = streams.find((s) => String(s.streamType) === '2' && bool(s.selected)) ?? streams.find((s) => String(s.streamType) === '2');
  const player = one(item.Player as Node | Node[]);
  const user = one(item.User as Node | Node[]);
  const session = one(item.Session as Node | Node[]);
  const transcode = one((item.TranscodeSession ?? media.TranscodeSession) as Node | Node[]);
  const mediaType = mediaTypeOf(item.type);
  const hasVideo = mediaType !== 'track' && (videoStream !== undefined || media.videoResolution !== undefined || media.videoCodec !== undefined);

  // Tautulli's order: the TranscodeSession decisions, else the per-stream decisions, else Part@decision.
  const partDecision = decisionFromWord(part.decision);
  let videoDecision: StreamDecision | null = null;
  let audioDecision: StreamDecision | null = null;
  if (transcode) {
    videoDecision = hasVideo ? (decisionFromWord(transcode.videoDecision) ?? 'directplay') : null;
    audioDecision = decisionFromWord(transcode.audioDecision) ?? 'directplay';
  } else {
    videoDecision = hasVideo ? (decisionFromWord(videoStream?.decision) ?? (partDecision === 'transcode' ? 'transcode' : partDecision ?? 'directplay')) : null;
    audioDecision = decisionFromWord(audioStream?.decision) ?? (partDecision === 'transcode' && !hasVideo ? 'transcode' : partDecision === 'directstream' ? 'directstream' : 'directplay');
  }
  const decision = overallDecision(videoDecision, audioDecision);

  const mediaResolution = normalizeResolutionLabel(media.videoResolution) ?? resolutionFromSize(num(media.width), num(media.height));
  const sourceResolution = hasVideo
    ? ((sourceMedia && (normalizeResolutionLabel(sourceMedia.videoResolution) ?? resolutionFromSize(num(sourceMedia.width), num(sourceMedia.height))))
      ?? resolutionFromDisplayTitle(videoStream?.displayTitle) ?? mediaResolution)
    : null;
  let streamResolution = sourceResolution;
  if (hasVideo && videoDecision === 'transcode') {
    streamResolution = (transcode && resolutionFromSize(num(transcode.width), num(transcode.height))) ?? mediaResolution ?? sourceResolution;
  }

  const isLive = bool(item.live);
  const sessionKey = str(session?.id) ?? str(item.sessionKey) ?? str(item.key) ?? str(transcode?.key) ?? 'unknown';
  const ip = str(player?.address);
  const location = str(session?.location);
  const thumb = mediaType === 'episode' || isLive
    ? (str(item.grandparentThumb) ?? str(item.thumb))
    : mediaType === 'track' ? (str(item.parentThumb) ?? str(item.thumb)) : str(item.thumb);

  return {
    sessionKey,
    mediaUserId: str(user?.id),
    mediaUser: str(user?.title),
    title: str(item.title) ?? 'Unknown',
    grandparentTitle: str(item.grandparentTitle),
    parentIndex: num(item.parentIndex),
    index: num(item.index),
    mediaType,
    state: stateOf(player?.state),
    progressMs: num(item.viewOffset) ?? 0,
    durationMs: num(item.duration) ?? num(media.duration) ?? num(transcode?.duration) ?? 0,
    player: str(player?.title),
    platform: str(player?.platform),
    product: str(player?.product),
    ipAddress: ip,
    isLocal: location ? location === 'lan' : player?.local !== undefined ? bool(player.local) : isPrivateAddress(ip),
    decision,
    videoDecision,
    audioDecision,
    sourceResolution,
    streamResolution,
    hdr: hasVideo ? plexHdr(videoStreamOf(sourceMedia) ?? videoStream) : null,
    bandwidthKbps: num(session?.bandwidth) ?? num(media.bitrate) ?? 0,
    thumb,
    itemId: str(item.ratingKey),
    library: str(item.librarySectionTitle),
  };
}

export function parsePlexSessions(text: string): ProviderSession[] {
  return sessionItems(parsePlexContainer(text)).map((item) => parsePlexSession(item));
}

/** The Media with `mediaId` (else the first) of a /library/metadata/{ratingKey} response. */
export function parsePlexSourceMedia(text: string, mediaId: string | null): Node | null {
  const medias = sessionItems(parsePlexContainer(text)).flatMap((it) => arr(it.Media as Node | Node[]));
  return medias.find((m) => mediaId !== null && str(m.id) === mediaId) ?? medias[0] ?? null;
}

/**
 * Source Media per server, rating key and media id. A file's source does not change while it plays,
 * so a transcoding session costs one metadata request, not one per poll; failed lookups are
 * remembered briefly too, so a server that refuses them is not asked every poll.
 */
const SOURCE_TTL_MS = 30 * 60_000;
const SOURCE_FAILURE_TTL_MS = 60_000;
const SOURCE_CACHE_MAX = 2000;
const sourceCache = new Map<string, { media: Node | null; expires: number }>();

export function parsePlexIdentity(text: string): { machineId: string; version: string | null } {
  const mc = parsePlexContainer(text);
  const machineId = str(mc.machineIdentifier);
  if (!machineId) throw new MediaServerError('wrong_server_type', 'This does not look like a Plex Media Server (no machineIdentifier).');
  return { machineId, version: str(mc.version) };
}

export function parsePlexAccounts(text: string): MediaUser[] {
  const mc = parsePlexContainer(text);
  const accounts = arr(mc.Account as Node | Node[]);
  return accounts
    .filter((a) => str(a.id) !== '0' && str(a.id) !== null)
    .map((a) => ({ id: String(a.id), name: str(a.name) ?? `Account ${String(a.id)}`, isAdmin: String(a.id) === '1', isDisabled: false }));
}

export function parsePlexLibraries(text: string): Library[] {
  const mc = parsePlexContainer(text);
  return arr(mc.Directory as Node | Node[]).map((d) => ({
    id: String(d.key),
    name: str(d.title) ?? String(d.key),
    type: str(d.type),
    paths: arr(d.Location as Node | Node[]).map((l) => String(l.path)),
  }));
}

/**
 * plex.tv shared_servers → per-user shares. Each share lists every section of the server twice
 * named: `key` is the library's id on the Plex server (what Marquee shows), `id` is plex.tv's own
 * section id (what plex.tv's share API takes — python-plexapi's `_getSectionIds` maps the same way).
 */
export function parsePlexSharedServers(text: string): { id: string; userId: string; allLibraries: boolean; sectionKeys: string[]; sectionIdByKey: Map<string, number> }[] {
  const mc = parsePlexContainer(text, 'plex.tv');
  return arr(mc.SharedServer as Node | Node[]).map((s) => {
    const sections = arr(s.Section as Node | Node[]);
    return {
      id: String(s.id),
      userId: String(s.userID),
      allLibraries: bool(s.allLibraries),
      sectionKeys: sections.filter((x) => bool(x.shared)).map((x) => String(x.key)),
      sectionIdByKey: new Map(sections.filter((x) => num(x.id) !== null).map((x) => [String(x.key), num(x.id)!])),
    };
  });
}

/** The artwork paths sessions carry (`thumb`, `grandparentThumb`, …): /library/metadata/{ratingKey}/thumb/{updatedAt}. */
const PLEX_IMAGE_PATH = /^\/library\/metadata\/[\w-]+\/(?:thumb|art)(?:\/\d+)?$/;

export class PlexProvider implements MediaServerProvider {
  readonly type = 'plex' as const;
  private readonly http: HttpClient;
  private readonly plexTv: HttpClient;
  private machineId: string | null = null;

  private readonly baseUrl: string;

  constructor(config: ServerConfig) {
    this.baseUrl = config.url;
    const headers = { 'X-Plex-Token': config.token, 'X-Plex-Client-Identifier': 'marquee', 'X-Plex-Product': 'Marquee' };
    const timeoutMs = config.timeoutMs ?? 8000;
    this.http = new HttpClient({ baseUrl: config.url, headers, timeoutMs, label: LABEL });
    this.plexTv = new HttpClient({ baseUrl: config.plexTvUrl ?? 'https://plex.tv', headers, timeoutMs, label: 'plex.tv' });
  }

  private async xml(path: string, query?: Record<string, string>): Promise<string> {
    return this.http.text(path, { query, accept: 'application/xml' });
  }

  async testConnection(): Promise<ServerIdentity> {
    let identity: { machineId: string; version: string | null };
    try {
      identity = parsePlexIdentity(await this.xml('/identity'));
    } catch (err) {
      if (err instanceof MediaServerError && (err.code === 'not_found' || err.code === 'bad_response' || err.code === 'invalid_credentials')) {
        // /identity is public on every Plex server, so a 401/404 there means another kind of server.
        throw new MediaServerError('wrong_server_type', 'That URL does not answer like a Plex Media Server (no /identity). Is it a Jellyfin or Emby server?', { cause: err });
      }
      throw err;
    }
    // /identity is public; the root needs the token, so a bad one fails here.
    const root = parsePlexContainer(await this.xml('/'));
    this.machineId = identity.machineId;
    return { type: 'plex', machineId: identity.machineId, name: str(root.friendlyName), version: identity.version ?? str(root.version) };
  }

  async listSessions(): Promise<ProviderSession[]> {
    const items = sessionItems(parsePlexContainer(await this.xml('/status/sessions')));
    const sources = await Promise.all(items.map((item) => (videoIsTranscoded(item) ? this.sourceMedia(item) : null)));
    return items.map((item, i) => parsePlexSession(item, sources[i] ?? undefined));
  }

  /** The source file's Media of a transcoding session (null when unknown: the session's own fields then stand). */
  private async sourceMedia(item: Node): Promise<Node | null> {
    const ratingKey = str(item.ratingKey);
    if (!ratingKey || bool(item.live)) return null;
    const mediaId = str(one(item.Media as Node | Node[])?.id);
    const key = `${this.baseUrl}|${ratingKey}|${mediaId ?? ''}`;
    const now = Date.now();
    const hit = sourceCache.get(key);
    if (hit && hit.expires > now) return hit.media;
    let media: Node | null = null;
    let ttl = SOURCE_TTL_MS;
    try {
      media = parsePlexSourceMedia(await this.xml(`/library/metadata/${encodeURIComponent(ratingKey)}`), mediaId);
    } catch {
      ttl = SOURCE_FAILURE_TTL_MS;
    }
    sourceCache.delete(key);
    sourceCache.set(key, { media, expires: now + ttl });
    if (sourceCache.size > SOURCE_CACHE_MAX) sourceCache.delete(sourceCache.keys().next().value!);
    return media;
  }

  async terminateSession(sessionKey: string, message?: string): Promise<void> {
    await this.xml('/status/sessions/terminate', { sessionId: sessionKey, reason: message ?? 'Your stream was ended by the server administrator.' });
  }

  async listUsers(): Promise<MediaUser[]> {
    return parsePlexAccounts(await this.xml('/accounts'));
  }

  async listLibraries(): Promise<Library[]> {
    return parsePlexLibraries(await this.xml('/library/sections'));
  }

  private async getMachineId(): Promise<string> {
    if (!this.machineId) this.machineId = parsePlexIdentity(await this.xml('/identity')).machineId;
    return this.machineId;
  }

  /** The user's share of this server on plex.tv (where Plex keeps library access). */
  private async sharedServer(userId: string) {
    const machineId = await this.getMachineId();
    const shares = parsePlexSharedServers(await this.plexTv.text(`/api/servers/${machineId}/shared_servers`, { accept: 'application/xml' }));
    const shared = shares.find((s) => s.userId === userId);
    if (!shared) throw new MediaServerError('not_found', `Plex user ${userId} has no share of this server on plex.tv.`);
    return { machineId, shared };
  }

  async getLibraryAccess(userId: string): Promise<LibraryAccess> {
    const { shared } = await this.sharedServer(userId);
    return { allLibraries: shared.allLibraries, libraryIds: shared.sectionKeys };
  }

  async setLibraryAccess(userId: string, access: LibraryAccess): Promise<void> {
    const { machineId, shared } = await this.sharedServer(userId);
    const keys = access.allLibraries ? [...shared.sectionIdByKey.keys()] : access.libraryIds;
    const ids = keys.map((key) => {
      const id = shared.sectionIdByKey.get(key);
      if (id === undefined) throw new MediaServerError('not_found', `Library ${key} is not one of this server's libraries on plex.tv; sync the server and try again.`);
      return id;
    });
    await this.plexTv.request(`/api/servers/${machineId}/shared_servers/${shared.id}`, {
      method: 'PUT',
      accept: 'application/xml',
      body: { server_id: machineId, shared_server: { library_section_ids: ids } },
    });
  }

  async refreshPath(libraryId: string, path: string): Promise<void> {
    await this.http.request(`/library/sections/${encodeURIComponent(libraryId)}/refresh`, { query: { path } });
  }

  async refreshLibrary(libraryId: string): Promise<void> {
    await this.http.request(`/library/sections/${encodeURIComponent(libraryId)}/refresh`);
  }

  async fetchImage(thumb: string) {
    // Only an item's artwork: any other path would be a call to the server's API with its token
    // (terminate, refresh, …) on behalf of whoever may merely look at posters.
    if (!PLEX_IMAGE_PATH.test(thumb)) throw new MediaServerError('bad_response', 'Invalid Plex image path.');
    return this.http.binary(thumb);
  }
}
