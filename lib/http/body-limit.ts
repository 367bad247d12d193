// Body limits for the streaming routes (uploads, webhooks), which proxy.ts no longer buffers and
// caps: a handler authenticates first, then calls these before or while reading the body.
import { AppError } from './errors';

function tooLarge(maxBytes: number): AppError {
  return new AppError('payload_too_large', `The request body is larger than the ${maxBytes}-byte limit.`);
}

/** Throws 413 when the request declares (Content-Length) more than `maxBytes`, before any of it is read. */
export function assertDeclaredLength(req: Request, maxBytes: number, error: () => AppError = () => tooLarge(maxBytes)): void {
  const declared = Number(req.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > maxBytes) throw error();
}

/**
 * Reads the whole body into memory, refusing it (413, the upload cancelled) as soon as it passes
 * `maxBytes`, whether or not a length was declared: a webhook's JSON, without trusting the sender to
 * stop. A sender that hangs up mid-body is a 400.
 */
export async function readBytesLimited(req: Request, maxBytes: number, error: () => AppError = () => tooLarge(maxBytes)): Promise<Uint8Array> {
  assertDeclaredLength(req, maxBytes, error);
  if (!req.body) return new Uint8Array(0);
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > maxBytes) {
        await reader.cancel().catch(() => {});
        throw error();
      }
      chunks.push(value);
    }
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw new AppError('bad_request', 'The request body could not be read (the sender hung up?).');
  }
  return Buffer.concat(chunks);
}

/** readBytesLimited as UTF-8 text. */
export async function readTextLimited(req: Request, maxBytes: number): Promise<string> {
  return Buffer.from(await readBytesLimited(req, maxBytes)).toString('utf8');
}
