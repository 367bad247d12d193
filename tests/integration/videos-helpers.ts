// Shared helpers for the video integration tests: generated media (never committed) and a tiny
// HTTP server in front of the HLS route so real external tools (ffprobe) can read through it.
import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { actorFromSessionToken } from '@/lib/auth/session';
import { ingestUpload } from '@/lib/videos/ingest';
import { hashFile } from '@/lib/videos/storage';
import { authHeaders, type TestUser } from '../helpers/auth';

export const mediaDir = fs.mkdtempSync(path.join(os.tmpdir(), 'marquee-media-'));

/** A short 1080p H.264/AAC clip from lavfi (test pattern + tone). */
export function makeClip(name: string, opts: { seconds?: number; size?: string; freq?: number } = {}): string {
  const out = path.join(mediaDir, name);
  const s = opts.seconds ?? 5;
  execFileSync('ffmpeg', [
    '-v', 'error', '-y',
    '-f', 'lavfi', '-i', `testsrc2=size=${opts.size ?? '1920x1080'}:rate=30:duration=${s}`,
    '-f', 'lavfi', '-i', `sine=frequency=${opts.freq ?? 440}:sample_rate=48000:duration=${s}`,
    '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest', out,
  ]);
  return out;
}

export interface ProbeJson {
  streams: { codec_type: string; codec_name: string; height?: number }[];
}

/** Async (the HLS test server runs in this process, so a sync spawn would deadlock it). */
export function ffprobeJson(target: string, extra: string[] = []): Promise<ProbeJson> {
  return new Promise((resolve, reject) => {
    execFile('ffprobe', ['-v', 'error', ...extra, '-print_format', 'json', '-show_streams', target], { timeout: 60_000 }, (err, out, stderr) =>
      err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(JSON.parse(out) as ProbeJson),
    );
  });
}

/** GET with the path sent byte for byte (fetch would normalize `%2e%2e` segments away). */
export function rawGet(origin: string, rawPath: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  const u = new URL(origin);
  return new Promise((resolve, reject) => {
    http
      .get({ host: u.hostname, port: u.port, path: rawPath, headers }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      })
      .on('error', reject);
  });
}

type Handler = (req: Request, ctx: { params: Promise<Record<string, unknown>> }) => Promise<Response> | Response;

/** Serves `/api/videos/:id/hls/*` through the real route handler. */
export async function startHlsServer(handler: Handler): Promise<{ origin: string; close: () => Promise<void> }> {
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const m = /^\/api\/videos\/([^/]+)\/hls\/(.+)$/.exec(url.pathname);
    if (!m) {
      res.writeHead(404).end();
      return;
    }
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers.set(k, v);
    const request = new Request(`http://127.0.0.1${req.url}`, { method: req.method, headers });
    // Next decodes each path segment before handing it to the route.
    const params = { id: decodeURIComponent(m[1]!), path: m[2]!.split('/').map(decodeURIComponent) };
    const response = await handler(request, { params: Promise.resolve(params) });
    res.writeHead(response.status, Object.fromEntries(response.headers));
    if (response.body) Readable.fromWeb(response.body as import('node:stream/web').ReadableStream).pipe(res);
    else res.end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return { origin: `http://127.0.0.1:${port}`, close: () => new Promise((r) => server.close(() => r())) };
}

/** Serves `GET /api/videos/:id` and `/api/videos/:id/hls/*` through the real route handlers on a real socket. */
export async function startVideoApiServer(routes: { video: Handler; hls: Handler }): Promise<{ origin: string; close: () => Promise<void> }> {
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const h = /^\/api\/videos\/([^/]+)\/hls\/(.+)$/.exec(url.pathname);
    const v = /^\/api\/videos\/([^/]+)$/.exec(url.pathname);
    if (!h && !v) {
      res.writeHead(404).end();
      return;
    }
    const headers = new Headers();
    for (const [k, val] of Object.entries(req.headers)) if (typeof val === 'string') headers.set(k, val);
    const request = new Request(`http://127.0.0.1${req.url}`, { method: req.method, headers });
    const response = h
      ? await routes.hls(request, { params: Promise.resolve({ id: decodeURIComponent(h[1]!), path: h[2]!.split('/').map(decodeURIComponent) }) })
      : await routes.video(request, { params: Promise.resolve({ id: decodeURIComponent(v![1]!) }) });
    res.writeHead(response.status, Object.fromEntries(response.headers));
    if (response.body) Readable.fromWeb(response.body as import('node:stream/web').ReadableStream).pipe(res);
    else res.end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** Key URI, IV and first segment URI of a media playlist (resolved against its URL). */
export function firstSegmentOf(playlist: string, url: string): { keyUrl: string; iv: Buffer; segmentUrl: string } {
  const key = /#EXT-X-KEY:METHOD=AES-128,URI="([^"]+)",IV=0x([0-9a-fA-F]{32})/.exec(playlist);
  const seg = playlist.split('\n').find((l) => l && !l.startsWith('#'));
  if (!key || !seg) throw new Error(`no key or segment in playlist:\n${playlist}`);
  return { keyUrl: new URL(key[1]!, url).toString(), iv: Buffer.from(key[2]!, 'hex'), segmentUrl: new URL(seg.trim(), url).toString() };
}

/** Whether `data` is an MPEG-TS stream (a sync byte every 188 bytes). */
export function isTransportStream(data: Buffer): boolean {
  if (data.length < 188 * 3) return false;
  for (let i = 0; i < 188 * 3; i += 188) if (data[i] !== 0x47) return false;
  return true;
}

/**
 * A generated clip uploaded by `user` as the upload routes would leave it (hashed and ingested, its
 * transcode not queued: the test starts it its own way). Gives the video id and the user's cookie.
 */
export async function ingestGeneratedClip(user: TestUser, name: string, clip: { seconds: number; size: string }, title: string) {
  const src = makeClip(`${name}.mp4`, clip);
  const tmp = path.join(process.env.DATA_DIR!, 'uploads', `${name}-copy.part`);
  fs.mkdirSync(path.dirname(tmp), { recursive: true });
  fs.copyFileSync(src, tmp);
  const cookie = await authHeaders(user);
  const actor = (await actorFromSessionToken(cookie.cookie!.split('=')[1]))!;
  const { id } = await ingestUpload(actor, await hashFile(tmp), { title, description: '', tags: [], people: [] }, { enqueue: false });
  return { id, cookie };
}
