// Serving the HLS tree (the published one, or a processing video's growing stream): access check (session or sealed token), a strict allowlist of
// file names (so no path can escape the video's folder), playlist rewriting to carry the token,
// keys decrypted from the database, Range requests and cache headers that never cache keys.
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { db } from '../db';
import { AppError, forbidden, notFound, unauthorized } from '../http/errors';
import { getRequestActor } from '../auth/session';
import { can } from '../auth/permissions';
import { decryptBytes } from '../crypto/encryption';
import { publishedDir, workRoot } from './paths';
import { verifyPlaybackToken } from './tokens';
import { keyAad, liveKeyAad } from './keys';

const ID = /^[A-Za-z0-9_-]{1,64}$/;

type Kind = 'master' | 'variant' | 'segment' | 'key' | 'poster' | 'sprite' | 'vtt';

/** Maps URL path segments to a file kind; anything else (including any traversal) is null. */
export function classifyHlsPath(parts: string[]): { kind: Kind; rendition?: string; file: string } | null {
  if (parts.length === 1) {
    const [f] = parts as [string];
    if (f === 'master.m3u8') return { kind: 'master', file: f };
    if (f === 'poster.jpg') return { kind: 'poster', file: f };
    if (f === 'storyboard.jpg') return { kind: 'sprite', file: f };
    if (f === 'storyboard.vtt') return { kind: 'vtt', file: f };
    return null;
  }
  if (parts.length === 2) {
    const [r, f] = parts as [string, string];
    if (!/^v\d{1,2}$/.test(r)) return null;
    if (f === 'index.m3u8') return { kind: 'variant', rendition: r, file: f };
    if (f === 'key') return { kind: 'key', rendition: r, file: f };
    if (/^seg_\d{3,6}\.ts$/.test(f)) return { kind: 'segment', rendition: r, file: f };
  }
  return null;
}

const TYPES: Record<Kind, string> = {
  master: 'application/vnd.apple.mpegurl',
  variant: 'application/vnd.apple.mpegurl',
  segment: 'video/mp2t',
  key: 'application/octet-stream',
  poster: 'image/jpeg',
  sprite: 'image/jpeg',
  vtt: 'text/vtt; charset=utf-8',
};

/** Appends `t=<token>` to every URI in a playlist or WebVTT file (lines and URI="…" attributes). */
export function withToken(text: string, token: string): string {
  const q = `t=${encodeURIComponent(token)}`;
  const add = (uri: string) => {
    if (/^[a-z]+:/i.test(uri) || uri.startsWith('/')) return uri;
    const [base, frag] = uri.split('#', 2) as [string, string | undefined];
    return `${base}${base.includes('?') ? '&' : '?'}${q}${frag !== undefined ? `#${frag}` : ''}`;
  };
  return text
    .split('\n')
    .map((line) => {
      if (line.startsWith('#')) return line.replace(/URI="([^"]+)"/g, (_m, u: string) => `URI="${add(u)}"`);
      if (/^[A-Za-z0-9_./-]+\.(m3u8|ts|jpg)(\?[A-Za-z0-9_=&%.-]*)?(#.*)?$/.test(line.trim()) || line.trim() === 'key') return add(line.trim());
      return line;
    })
    .join('\n');
}

const passwordChangeRequired = () =>
  new AppError('password_change_required', 'Change your password before doing anything else.', { status: 403 });

/**
 * Who may watch: a signed-in user allowed `videos:watch`, or a valid sealed token for this video.
 * Either way an account that must change its password watches nothing: the cookie path refuses it
 * like every other API route, and a token minted before an admin reset the password stops working
 * (a reset ends open streams; a new token needs the new password, since minting one needs a
 * session that passed the check).
 */
export async function authorizePlayback(req: Request, videoId: string): Promise<{ userId: string; token: string | null; admin: boolean }> {
  const token = new URL(req.url).searchParams.get('t');
  if (token !== null) {
    const grant = await verifyPlaybackToken(token, videoId);
    if (!grant) throw new AppError('invalid_token', 'The playback link is invalid or has expired.', { status: 403 });
    const user = await db.user.findUnique({ where: { id: grant.userId }, select: { active: true, mustChangePassword: true } });
    if (!user?.active) throw new AppError('invalid_token', 'The playback link is no longer valid.', { status: 403 });
    if (user.mustChangePassword) throw passwordChangeRequired();
    return { userId: grant.userId, token, admin: false };
  }
  const actor = await getRequestActor(req);
  if (!actor) throw unauthorized();
  if (actor.mustChangePassword) throw passwordChangeRequired();
  if (!can(actor, 'videos:watch')) throw forbidden();
  return { userId: actor.id, token: null, admin: actor.role === 'admin' };
}

function parseRange(header: string | null, size: number): { start: number; end: number } | 'invalid' | null {
  if (!header) return null;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return 'invalid';
  let start: number;
  let end: number;
  if (m[1] === '') {
    const n = Number(m[2]);
    if (n === 0) return 'invalid';
    start = Math.max(0, size - n);
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  if (start > end || start >= size) return 'invalid';
  return { start, end };
}

function fileResponse(req: Request, file: string, type: string, cache: string): Response {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    throw notFound('File');
  }
  const headers = new Headers({ 'content-type': type, 'cache-control': cache, 'accept-ranges': 'bytes', 'x-content-type-options': 'nosniff' });
  const range = parseRange(req.headers.get('range'), stat.size);
  if (range === 'invalid') {
    headers.set('content-range', `bytes */${stat.size}`);
    return new Response(null, { status: 416, headers });
  }
  const { start, end } = range ?? { start: 0, end: stat.size - 1 };
  headers.set('content-length', String(end - start + 1));
  if (range) headers.set('content-range', `bytes ${start}-${end}/${stat.size}`);
  if (req.method === 'HEAD' || stat.size === 0) return new Response(null, { status: range ? 206 : 200, headers });
  const body = Readable.toWeb(fs.createReadStream(file, { start, end })) as ReadableStream<Uint8Array>;
  return new Response(body, { status: range ? 206 : 200, headers });
}

const ATTEMPT = /^[A-Za-z0-9_-]{1,100}$/;

/**
 * A growing rendition playlist as served: every segment and the key carry the attempt they belong
 * to (`?a=`), so a viewer keeps reading one attempt's segments with that attempt's key even if a
 * resumed job takes over the stream, and there is no EXT-X-ENDLIST until the final VOD playlist
 * replaces it (FFmpeg ends its own one a moment before the job publishes).
 */
export function liveVariantPlaylist(text: string, attempt: string): string {
  const a = `a=${encodeURIComponent(attempt)}`;
  return text
    .split('\n')
    .filter((line) => line.trim() !== '#EXT-X-ENDLIST')
    .map((line) => {
      // Players join a live stream near its end; this one is watched from its start.
      if (line.trim() === '#EXTM3U') return `${line}\n#EXT-X-START:TIME-OFFSET=0`;
      if (line.startsWith('#')) return line.replace(/URI="key"/, `URI="key?${a}"`);
      return /^seg_\d{3,6}\.ts$/.test(line.trim()) ? `${line.trim()}?${a}` : line;
    })
    .join('\n');
}

function keyResponse(keyEnc: string, aad: string): Response {
  const key = decryptBytes(keyEnc, undefined, aad);
  return new Response(new Uint8Array(key), {
    headers: { 'content-type': TYPES.key, 'cache-control': 'no-store, private', pragma: 'no-cache', 'content-length': '16' },
  });
}

function playlistResponse(text: string, kind: Kind, token: string | null): Response {
  return new Response(token ? withToken(text, token) : text, { headers: { 'content-type': TYPES[kind], 'cache-control': 'private, no-cache' } });
}

function readText(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    throw notFound('File');
  }
}

const notReady = () => new AppError('not_ready', 'The video is not ready for playback yet.', { status: 403 });

/**
 * The in-progress stream of a processing video, from the staging area of the attempt that serves it
 * (playlists) or of the attempt a segment/key URL names (`a`, checked against the stored keys, so
 * no other folder can be named). Same access check and per-rung keys as the finished video.
 */
async function serveLive(req: Request, videoId: string, liveAttempt: string, target: NonNullable<ReturnType<typeof classifyHlsPath>>, token: string | null): Promise<Response> {
  const named = new URL(req.url).searchParams.get('a');
  const attempt = target.kind === 'segment' || target.kind === 'key' ? (named ?? liveAttempt) : liveAttempt;
  if (!ATTEMPT.test(attempt)) throw new AppError('bad_request', 'Invalid media path.');
  if (target.kind === 'poster' || target.kind === 'sprite' || target.kind === 'vtt') throw notReady();
  const live = target.rendition
    ? await db.videoLiveKey.findUnique({ where: { videoId_attempt_name: { videoId, attempt, name: target.rendition } } })
    : await db.videoLiveKey.findFirst({ where: { videoId, attempt } });
  if (!live) throw notFound(target.kind === 'key' ? 'Key' : 'File');
  if (target.kind === 'key') return keyResponse(live.keyEnc, liveKeyAad(videoId, attempt, live.name));
  const root = path.join(workRoot(), attempt, 'out');
  const file = path.join(root, ...(target.rendition ? [target.rendition] : []), target.file);
  if (!file.startsWith(root + path.sep)) throw new AppError('bad_request', 'Invalid media path.');
  if (target.kind === 'master') return playlistResponse(readText(file), 'master', token);
  if (target.kind === 'variant') return playlistResponse(liveVariantPlaylist(readText(file), attempt), 'variant', token);
  return fileResponse(req, file, TYPES.segment, 'private, max-age=86400, immutable');
}

export async function serveHls(req: Request, videoId: string, parts: string[]): Promise<Response> {
  if (!ID.test(videoId)) throw new AppError('bad_request', 'Invalid video id.');
  const target = classifyHlsPath(parts);
  if (!target) throw new AppError('bad_request', 'Invalid media path.');
  const access = await authorizePlayback(req, videoId);
  const video = await db.video.findUnique({ where: { id: videoId }, select: { status: true, liveAttempt: true, liveAt: true, ownerId: true } });
  if (!video) throw notFound('Video');
  if (video.status === 'processing' && video.liveAttempt && video.liveAt) {
    // The library shows a processing video to its owner and admins only (a token was minted by
    // GET /api/videos/{id}, which applies that rule): the cookie path applies it here.
    if (!access.token && !access.admin && video.ownerId !== access.userId) throw notReady();
    return serveLive(req, videoId, video.liveAttempt, target, access.token);
  }
  // Published: a segment or key URL of the growing stream (`?a=`) reads the final tree, which holds
  // the same segments under the same keys, so a player that was following it keeps playing.
  if (video.status !== 'ready') throw notReady();

  if (target.kind === 'key') {
    const r = await db.videoRendition.findUnique({ where: { videoId_name: { videoId, name: target.rendition! } } });
    if (!r) throw notFound('Key');
    return keyResponse(r.keyEnc, keyAad(videoId, r.name));
  }

  const root = publishedDir(videoId);
  const file = path.join(root, ...(target.rendition ? [target.rendition] : []), target.file);
  if (!file.startsWith(root + path.sep)) throw new AppError('bad_request', 'Invalid media path.');

  if (target.kind === 'master' || target.kind === 'variant' || target.kind === 'vtt') {
    return playlistResponse(readText(file), target.kind, access.token);
  }
  const cache = target.kind === 'segment' ? 'private, max-age=86400, immutable' : 'private, max-age=300';
  return fileResponse(req, file, TYPES[target.kind], cache);
}
