// Serving the published HLS tree: access check (session or sealed token), a strict allowlist of
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
import { publishedDir } from './paths';
import { verifyPlaybackToken } from './tokens';
import { keyAad } from './keys';

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
      if (/^[A-Za-z0-9_./-]+\.(m3u8|ts|jpg)(#.*)?$/.test(line.trim()) || line.trim() === 'key') return add(line.trim());
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
export async function authorizePlayback(req: Request, videoId: string): Promise<{ userId: string; token: string | null }> {
  const token = new URL(req.url).searchParams.get('t');
  if (token !== null) {
    const grant = await verifyPlaybackToken(token, videoId);
    if (!grant) throw new AppError('invalid_token', 'The playback link is invalid or has expired.', { status: 403 });
    const user = await db.user.findUnique({ where: { id: grant.userId }, select: { active: true, mustChangePassword: true } });
    if (!user?.active) throw new AppError('invalid_token', 'The playback link is no longer valid.', { status: 403 });
    if (user.mustChangePassword) throw passwordChangeRequired();
    return { userId: grant.userId, token };
  }
  const actor = await getRequestActor(req);
  if (!actor) throw unauthorized();
  if (actor.mustChangePassword) throw passwordChangeRequired();
  if (!can(actor, 'videos:watch')) throw forbidden();
  return { userId: actor.id, token: null };
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

export async function serveHls(req: Request, videoId: string, parts: string[]): Promise<Response> {
  if (!ID.test(videoId)) throw new AppError('bad_request', 'Invalid video id.');
  const target = classifyHlsPath(parts);
  if (!target) throw new AppError('bad_request', 'Invalid media path.');
  const access = await authorizePlayback(req, videoId);
  const video = await db.video.findUnique({ where: { id: videoId }, select: { status: true } });
  if (!video) throw notFound('Video');
  if (video.status !== 'ready') throw new AppError('not_ready', 'The video is not ready for playback yet.', { status: 403 });

  if (target.kind === 'key') {
    const r = await db.videoRendition.findUnique({ where: { videoId_name: { videoId, name: target.rendition! } } });
    if (!r) throw notFound('Key');
    const key = decryptBytes(r.keyEnc, undefined, keyAad(videoId, r.name));
    return new Response(new Uint8Array(key), {
      headers: { 'content-type': TYPES.key, 'cache-control': 'no-store, private', pragma: 'no-cache', 'content-length': '16' },
    });
  }

  const root = publishedDir(videoId);
  const file = path.join(root, ...(target.rendition ? [target.rendition] : []), target.file);
  if (!file.startsWith(root + path.sep)) throw new AppError('bad_request', 'Invalid media path.');

  if (target.kind === 'master' || target.kind === 'variant' || target.kind === 'vtt') {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      throw notFound('File');
    }
    if (access.token) text = withToken(text, access.token);
    return new Response(text, { headers: { 'content-type': TYPES[target.kind], 'cache-control': 'private, no-cache' } });
  }
  const cache = target.kind === 'segment' ? 'private, max-age=86400, immutable' : 'private, max-age=300';
  return fileResponse(req, file, TYPES[target.kind], cache);
}
