// Minimal types for m3u8-parser (it ships none), covering what the video tests read.
declare module 'm3u8-parser' {
  export interface M3u8Key {
    method: string;
    uri: string;
    iv?: Uint32Array;
  }
  export interface M3u8Segment {
    uri: string;
    duration: number;
    key?: M3u8Key;
  }
  export interface M3u8Playlist {
    uri: string;
    attributes: { BANDWIDTH?: number; 'AVERAGE-BANDWIDTH'?: number; CODECS?: string; RESOLUTION?: { width: number; height: number } };
  }
  export interface M3u8Manifest {
    playlists?: M3u8Playlist[];
    segments: M3u8Segment[];
    endList?: boolean;
    playlistType?: string;
  }
  export class Parser {
    push(chunk: string): void;
    end(): void;
    manifest: M3u8Manifest;
  }
}
