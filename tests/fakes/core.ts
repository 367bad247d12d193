// Shared machinery of the fake media servers: an HTTP server with offline/slow modes, controllable
// sessions and a log of the calls Marquee made (terminate, message, scan, library access).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const FIXTURES = join(process.cwd(), 'tests/fixtures');
export const fixture = (dir: string, name: string) => readFileSync(join(FIXTURES, dir, name), 'utf8');
export const fixtureJson = <T = unknown>(dir: string, name: string) => JSON.parse(fixture(dir, name)) as T;

/** What a test says about a session; each fake renders it in its own protocol. */
export interface FakeSessionSpec {
  id?: string;
  userId?: string;
  user?: string;
  title?: string;
  grandparentTitle?: string;
  season?: number;
  episode?: number;
  mediaType?: 'movie' | 'episode' | 'track';
  /** Source video height (2160 = 4K). */
  sourceHeight?: number;
  /** Stream height when transcoding. */
  streamHeight?: number;
  decision?: 'directplay' | 'directstream' | 'transcode';
  hdr?: 'HDR10' | 'DV' | null;
  bandwidthKbps?: number;
  ipAddress?: string;
  player?: string;
  state?: 'playing' | 'paused';
  progressMs?: number;
  durationMs?: number;
}

export type FakeSession = Required<Omit<FakeSessionSpec, 'hdr'>> & { hdr: 'HDR10' | 'DV' | null };

export interface RecordedCall {
  kind: 'terminate' | 'message' | 'scan' | 'library-access' | 'metadata';
  sessionId?: string;
  itemId?: string;
  message?: string;
  path?: string;
  libraryId?: string;
  userId?: string;
  body?: unknown;
  at: number;
}

export interface FakeLibraryAccess {
  allLibraries: boolean;
  libraryIds: string[];
}

let counter = 0;

export abstract class FakeMediaServer {
  readonly sessions = new Map<string, FakeSession>();
  readonly calls: RecordedCall[] = [];
  /** Requests seen, for "the token was checked" assertions. */
  readonly requests: { method: string; path: string; authorized: boolean }[] = [];
  readonly access = new Map<string, FakeLibraryAccess>();
  offline = false;
  delayMs = 0;
  private server: Server | null = null;
  url = '';

  constructor(readonly token: string) {}

  abstract readonly type: 'plex' | 'jellyfin' | 'emby';
  protected abstract handle(req: IncomingMessage, url: URL, body: string, authorized: boolean): { status: number; type?: string; body?: string | Buffer } | null;
  protected abstract isAuthorized(req: IncomingMessage, url: URL): boolean;

  startSession(spec: FakeSessionSpec = {}): FakeSession {
    counter += 1;
    const id = spec.id ?? `${this.type}-s${counter}-${Math.random().toString(36).slice(2, 8)}`;
    const session: FakeSession = {
      id,
      userId: spec.userId ?? 'u1',
      user: spec.user ?? 'alice',
      title: spec.title ?? 'Ozymandias',
      grandparentTitle: spec.grandparentTitle ?? (spec.mediaType === 'movie' ? '' : 'Breaking Bad'),
      season: spec.season ?? 5,
      episode: spec.episode ?? 14,
      mediaType: spec.mediaType ?? 'episode',
      sourceHeight: spec.sourceHeight ?? 1080,
      streamHeight: spec.streamHeight ?? spec.sourceHeight ?? 1080,
      decision: spec.decision ?? 'directplay',
      hdr: spec.hdr ?? null,
      bandwidthKbps: spec.bandwidthKbps ?? 8000,
      ipAddress: spec.ipAddress ?? '192.168.1.50',
      player: spec.player ?? 'Living Room TV',
      state: spec.state ?? 'playing',
      progressMs: spec.progressMs ?? 60_000,
      durationMs: spec.durationMs ?? 2_838_000,
    };
    this.sessions.set(id, session);
    return session;
  }

  pauseSession(id: string) { const s = this.sessions.get(id); if (s) s.state = 'paused'; }
  resumeSession(id: string) { const s = this.sessions.get(id); if (s) s.state = 'playing'; }
  stopSession(id: string) { this.sessions.delete(id); }
  clearSessions() { this.sessions.clear(); }
  setOffline(offline: boolean) { this.offline = offline; }
  setDelay(ms: number) { this.delayMs = ms; }
  private holds: { match: (path: string) => boolean; arrived: () => void; release: Promise<void> }[] = [];
  /**
   * Holds the first request whose path `match`es until `release` settles — a test's way to act while
   * Marquee waits on the server. Resolves when that request has arrived.
   */
  holdNext(match: (path: string) => boolean, release: Promise<void>): Promise<void> {
    return new Promise((arrived) => this.holds.push({ match, arrived, release }));
  }
  callsOf(kind: RecordedCall['kind']) { return this.calls.filter((c) => c.kind === kind); }
  protected record(call: Omit<RecordedCall, 'at'>) { this.calls.push({ ...call, at: Date.now() }); }

  async listen(port = 0, host = '127.0.0.1'): Promise<string> {
    this.server = createServer((req, res) => void this.dispatch(req, res));
    await new Promise<void>((resolve) => this.server!.listen(port, host, resolve));
    const addr = this.server.address() as AddressInfo;
    this.url = `http://${host}:${addr.port}`;
    return this.url;
  }

  async close(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
    this.server = null;
  }

  private async dispatch(req: IncomingMessage, res: ServerResponse) {
    if (this.offline) {
      // A powered-off host: the connection drops without an HTTP answer.
      req.socket.destroy();
      return;
    }
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    if (this.delayMs) await new Promise((r) => setTimeout(r, this.delayMs));
    if (res.destroyed) return;
    const url = new URL(req.url ?? '/', 'http://fake');
    const held = this.holds.findIndex((h) => h.match(url.pathname));
    if (held >= 0) {
      const [hold] = this.holds.splice(held, 1);
      hold!.arrived();
      await hold!.release;
    }
    const authorized = this.isAuthorized(req, url);
    this.requests.push({ method: req.method ?? 'GET', path: url.pathname, authorized });
    let out: ReturnType<FakeMediaServer['handle']>;
    try {
      out = this.handle(req, url, body, authorized);
    } catch (err) {
      out = { status: 500, type: 'text/plain', body: String(err) };
    }
    if (!out) out = { status: 404, type: 'text/plain', body: 'Not Found' };
    res.writeHead(out.status, { 'Content-Type': out.type ?? 'application/json' });
    res.end(out.body ?? '');
  }
}

export const json = (data: unknown, status = 200) => ({ status, type: 'application/json; charset=utf-8', body: JSON.stringify(data) });
export const xml = (text: string, status = 200) => ({ status, type: 'text/xml;charset=utf-8', body: text });
export const unauthorized = () => ({ status: 401, type: 'text/html', body: '<html><head><title>Unauthorized</title></head><body><h1>401 Unauthorized</h1></body></html>' });

/** A 1×1 PNG for poster requests. */
export const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
