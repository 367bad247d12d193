// The provider interface every media server type implements, and the normalized shapes it returns.
export type ServerType = 'plex' | 'jellyfin' | 'emby';
export type StreamDecision = 'directplay' | 'directstream' | 'transcode';
export type HdrType = 'HDR10' | 'HDR10+' | 'DV' | 'HLG';
export type MediaType = 'movie' | 'episode' | 'track' | 'other';
export type PlaybackState = 'playing' | 'paused' | 'buffering';

export interface ServerConfig {
  type: ServerType;
  url: string;
  token: string;
  timeoutMs?: number;
  /** Plex only: where plex.tv lives (the fakes stand in for it in tests). */
  plexTvUrl?: string;
}

export interface ServerIdentity {
  type: ServerType;
  machineId: string;
  name: string | null;
  version: string | null;
}

/** A live session as the provider reports it (the snapshot adds ids, server name and startedAt). */
export interface ProviderSession {
  sessionKey: string;
  mediaUserId: string | null;
  mediaUser: string | null;
  title: string;
  grandparentTitle: string | null;
  parentIndex: number | null;
  index: number | null;
  mediaType: MediaType;
  state: PlaybackState;
  progressMs: number;
  durationMs: number;
  player: string | null;
  platform: string | null;
  product: string | null;
  ipAddress: string | null;
  isLocal: boolean;
  decision: StreamDecision;
  videoDecision: StreamDecision | null;
  audioDecision: StreamDecision | null;
  sourceResolution: string | null;
  streamResolution: string | null;
  hdr: HdrType | null;
  bandwidthKbps: number;
  /** Server-relative image reference (Plex thumb path or Jellyfin/Emby item id), fetched through the poster proxy. */
  thumb: string | null;
  itemId: string | null;
  /** The library the item is in, where the session says (Plex's librarySectionTitle; Jellyfin/Emby sessions do not). */
  library?: string | null;
}

export interface MediaUser {
  id: string;
  name: string;
  isAdmin: boolean;
  isDisabled: boolean;
}

export interface Library {
  id: string;
  name: string;
  type: string | null;
  paths: string[];
}

export interface LibraryAccess {
  allLibraries: boolean;
  libraryIds: string[];
}

export interface MediaServerProvider {
  readonly type: ServerType;
  testConnection(): Promise<ServerIdentity>;
  listSessions(): Promise<ProviderSession[]>;
  terminateSession(sessionKey: string, message?: string): Promise<void>;
  listUsers(): Promise<MediaUser[]>;
  listLibraries(): Promise<Library[]>;
  getLibraryAccess(userId: string): Promise<LibraryAccess>;
  setLibraryAccess(userId: string, access: LibraryAccess): Promise<void>;
  /** Ask the server to rescan one path of a library (autoscan). */
  refreshPath(libraryId: string, path: string): Promise<void>;
  /** Rescan a whole library (autoscan's fallback when a server refuses a path scan). */
  refreshLibrary(libraryId: string): Promise<void>;
  /** Fetches poster art for a session's `thumb`. */
  fetchImage(thumb: string): Promise<{ body: ArrayBuffer; contentType: string }>;
}
