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
 * Reads the body as UTF-8 text, refusing it (413) as soon as it passes `maxBytes`, whether or not
 * a length was declared: a webhook's JSON, without trusting the sender to stop.
 */
export async function readTextLimited(req: Request, maxBytes: number): Promise<string> {
  assertDeclaredLength(req, maxBytes);
  if (!req.body) return '';
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => {});
      throw tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}
