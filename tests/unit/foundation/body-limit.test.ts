// The streaming routes' own body limits (proxy.ts no longer caps them): a declared length over the
// limit is refused before reading; an undeclared (chunked) body is cut off as soon as it passes it.
import { expect, test } from 'vitest';
import { AppError } from '../../../lib/http/errors';
import { assertDeclaredLength, readTextLimited } from '../../../lib/http/body-limit';

function streamOf(chunks: number, size: number, onPull: () => void) {
  let sent = 0;
  return new ReadableStream<Uint8Array>({
    pull(c) {
      onPull();
      if (sent++ < chunks) c.enqueue(new Uint8Array(size).fill(97));
      else c.close();
    },
  });
}

test('a declared Content-Length over the limit → 413 before the body is touched', async () => {
  let pulls = 0;
  const req = new Request('http://x/api/webhooks/sonarr', {
    method: 'POST',
    headers: { 'content-length': String(64 * 1024 + 1) },
    body: streamOf(10, 1024, () => pulls++),
    duplex: 'half',
  } as RequestInit);
  const err = await readTextLimited(req, 64 * 1024).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(AppError);
  expect((err as AppError).status).toBe(413);
  expect(pulls).toBeLessThanOrEqual(1); // at most the stream's own initial pull, nothing read
  expect(() => assertDeclaredLength(new Request('http://x', { method: 'POST', headers: { 'content-length': '10' }, body: 'x'.repeat(10) }), 9)).toThrow(AppError);
  expect(() => assertDeclaredLength(new Request('http://x', { method: 'POST', headers: { 'content-length': '9' }, body: 'x'.repeat(9) }), 9)).not.toThrow();
});

test('a chunked body is read up to the limit and refused as soon as it passes it', async () => {
  let pulls = 0;
  const req = new Request('http://x/api/webhooks/sonarr', { method: 'POST', body: streamOf(1000, 1024, () => pulls++), duplex: 'half' } as RequestInit);
  const err = await readTextLimited(req, 64 * 1024).catch((e: unknown) => e);
  expect((err as AppError).status).toBe(413);
  expect(pulls).toBeLessThan(70); // stopped after ~65 of the 1000 chunks
  const ok = new Request('http://x', { method: 'POST', body: '{"eventType":"Test"}' });
  expect(await readTextLimited(ok, 64 * 1024)).toBe('{"eventType":"Test"}');
});
