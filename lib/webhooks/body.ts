// Bounded readers for webhook bodies (over 1 MB → 413, nested deeper than 10 → 400,
// malformed JSON → 400, never a 500). Sizes are checked from Content-Length before reading, then
// again while streaming, so a body without a length (chunked) cannot grow past the cap either.
import { Readable, Transform, pipeline } from 'node:stream';
import type { ReadableStream as NodeWebReadableStream } from 'node:stream/web';
import busboy from 'busboy';
import { AppError } from '../http/errors';
import { readBytesLimited } from '../http/body-limit';

/** The JSON a webhook may carry: a real Sonarr import with many episodes is a few tens of kB. */
export const WEBHOOK_MAX_BYTES = 1024 * 1024;
/** Deepest JSON nesting accepted (the real payloads reach 4: root → Metadata → Guid[] → {}). */
export const WEBHOOK_MAX_DEPTH = 10;
/**
 * Whole multipart body, file parts included. Plex attaches the poster as a `thumb` part; it is
 * drained, never buffered, so this only bounds the bandwidth one request may take.
 */
export const WEBHOOK_MULTIPART_MAX_BYTES = 32 * 1024 * 1024;
/** Form fields that carry the JSON: `payload` (Plex), `data` (Emby's multipart form). */
export const WEBHOOK_PAYLOAD_FIELDS = ['payload', 'data'] as const;

export interface WebhookBodyOptions {
  /** Cap of the JSON text in bytes (default 1 MB). */
  maxBytes?: number;
  maxDepth?: number;
}

export interface WebhookMultipartOptions extends WebhookBodyOptions {
  /** Cap of the whole multipart body in bytes (default 32 MB). */
  maxBodyBytes?: number;
  /** Field names holding the JSON, first found wins (default `payload`, then `data`). */
  fields?: readonly string[];
}

function tooLarge(maxBytes: number): AppError {
  return new AppError('payload_too_large', `The webhook body is larger than ${formatBytes(maxBytes)}.`, { status: 413 });
}

function formatBytes(n: number): string {
  return n % (1024 * 1024) === 0 ? `${n / (1024 * 1024)} MB` : n % 1024 === 0 ? `${n / 1024} kB` : `${n} bytes`;
}

function declaredLength(req: Request): number | null {
  const raw = req.headers.get('content-length');
  if (raw === null || !/^\d+$/.test(raw.trim())) return null;
  return Number(raw);
}

/**
 * True when the JSON text nests objects/arrays deeper than `max`. A linear scan of the text, so a
 * hostile `[[[[…` is refused before JSON.parse builds anything.
 */
export function jsonDepthExceeds(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
      continue;
    }
    if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
}

/** Parses webhook JSON text: 400 when empty, too deep or malformed. */
export function parseWebhookJsonText(text: string, maxDepth = WEBHOOK_MAX_DEPTH): unknown {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (!body.trim()) throw new AppError('bad_request', 'The webhook body is empty: expected JSON.');
  if (jsonDepthExceeds(body, maxDepth)) {
    throw new AppError('payload_too_deep', `The webhook JSON is nested deeper than ${maxDepth} levels.`, { status: 400 });
  }
  try {
    return JSON.parse(body) as unknown;
  } catch {
    throw new AppError('bad_request', 'The webhook body is not valid JSON.');
  }
}

function decodeUtf8(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new AppError('bad_request', 'The webhook body is not UTF-8 text.');
  }
}

/** A JSON webhook body: 413 over 1 MB, 400 when deeper than 10 levels, empty or malformed. */
export async function readWebhookJson(req: Request, opts: WebhookBodyOptions = {}): Promise<unknown> {
  const maxBytes = opts.maxBytes ?? WEBHOOK_MAX_BYTES;
  const bytes = await readBytesLimited(req, maxBytes, () => tooLarge(maxBytes));
  return parseWebhookJsonText(decodeUtf8(bytes), opts.maxDepth ?? WEBHOOK_MAX_DEPTH);
}

export function isMultipart(req: Request): boolean {
  return (req.headers.get('content-type') ?? '').toLowerCase().startsWith('multipart/form-data');
}

/**
 * The JSON of a multipart webhook's `payload` (Plex) or `data` (Emby) field. File parts such as
 * Plex's `thumb` JPEG are drained as they stream by, never held in memory; the JSON field has the
 * same 1 MB cap as a JSON body.
 */
export async function readWebhookMultipart(req: Request, opts: WebhookMultipartOptions = {}): Promise<unknown> {
  const maxBytes = opts.maxBytes ?? WEBHOOK_MAX_BYTES;
  const maxBodyBytes = opts.maxBodyBytes ?? WEBHOOK_MULTIPART_MAX_BYTES;
  const wanted = opts.fields ?? WEBHOOK_PAYLOAD_FIELDS;
  const type = req.headers.get('content-type') ?? '';
  if (!isMultipart(req)) throw new AppError('unsupported_media_type', 'Expected a multipart/form-data body.');
  const declared = declaredLength(req);
  if (declared !== null && declared > maxBodyBytes) throw tooLarge(maxBodyBytes);
  if (!req.body) throw new AppError('bad_request', 'The webhook body is empty.');

  let bb: busboy.Busboy;
  try {
    // fieldSize + 1 so that a value of exactly maxBytes is not reported as truncated.
    bb = busboy({ headers: { 'content-type': type }, limits: { fieldSize: maxBytes + 1, fields: 50, parts: 100, fieldNameSize: 200 } });
  } catch {
    throw new AppError('bad_request', 'Malformed multipart body (no boundary?).');
  }

  const found = new Map<string, string>();
  let failure: AppError | null = null;
  const fail = (err: AppError) => {
    failure ??= err;
  };

  bb.on('field', (name, value, info) => {
    if (!wanted.includes(name) || found.has(name)) return;
    if (info.valueTruncated || Buffer.byteLength(value) > maxBytes) return fail(tooLarge(maxBytes));
    found.set(name, value);
  });
  bb.on('file', (name, stream) => {
    // When the request fails mid-part, busboy destroys this stream with the request's error; the
    // pipeline below already reports it.
    stream.on('error', () => {});
    // A sender that attaches the JSON as a file part: read it with the same cap; any other file is drained.
    if (!wanted.includes(name) || found.has(name)) {
      stream.resume();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    stream.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) fail(tooLarge(maxBytes));
      else chunks.push(chunk);
    });
    stream.on('end', () => {
      if (size <= maxBytes) found.set(name, Buffer.concat(chunks).toString('utf8'));
    });
  });

  let seen = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      seen += chunk.length;
      if (seen > maxBodyBytes) done(tooLarge(maxBodyBytes));
      else done(null, chunk);
    },
  });

  await new Promise<void>((resolve, reject) => {
    pipeline(Readable.fromWeb(req.body as NodeWebReadableStream<Uint8Array>), counter, bb, (err) => {
      if (!err) return resolve();
      if (err instanceof AppError) return reject(err);
      reject(new AppError('bad_request', 'Malformed multipart body.'));
    });
  });
  if (failure) throw failure;
  const field = wanted.find((name) => found.has(name));
  if (!field) throw new AppError('bad_request', `The multipart body has no ${wanted.map((f) => `\`${f}\``).join(' or ')} field.`);
  return parseWebhookJsonText(found.get(field)!, opts.maxDepth ?? WEBHOOK_MAX_DEPTH);
}

/** Either shape, by Content-Type: multipart (Plex, Emby's form) or JSON (Jellyfin, Emby, the *arr apps). */
export async function readWebhookPayload(req: Request, opts: WebhookMultipartOptions = {}): Promise<unknown> {
  return isMultipart(req) ? readWebhookMultipart(req, opts) : readWebhookJson(req, opts);
}
