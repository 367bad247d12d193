// The shared stream helpers through the real web server (scripts/web-server.ts → proxy.ts → route):
// an SSE stream (lib/http/sse.ts) arrives unbuffered with the headers proxies need and can be left
// mid-stream; a CSV export (lib/http/csv.ts) downloads as RFC 4180 UTF-8 text with formula cells
// neutralised.
import { test, expect } from '@playwright/test';
import { signIn } from './helpers';

test('GET /api/events streams its first event at once, with the SSE headers, and can be left mid-stream', async ({ page }) => {
  await signIn(page);
  const seen = await page.evaluate(async () => {
    const abort = new AbortController();
    const res = await fetch('/api/events', { signal: abort.signal });
    const reader = res.body!.getReader();
    const dec = new TextDecoder();
    let text = '';
    // Reading stops at the first event: the stream is still open, so it was not buffered to the end.
    while (!text.includes('event: live')) {
      const { done, value } = await reader.read();
      if (done) break;
      text += dec.decode(value, { stream: true });
    }
    abort.abort();
    return {
      status: res.status,
      type: res.headers.get('content-type'),
      cache: res.headers.get('cache-control'),
      buffering: res.headers.get('x-accel-buffering'),
      text,
    };
  });
  expect(seen.status).toBe(200);
  expect(seen.type).toBe('text/event-stream; charset=utf-8');
  expect(seen.cache).toBe('no-cache, no-transform');
  expect(seen.buffering).toBe('no');
  expect(seen.text.startsWith('retry: 3000\n\nevent: live\ndata: {')).toBe(true);
  // The server is fine after the client left: the next stream works too.
  const again = await page.evaluate(async () => {
    const abort = new AbortController();
    const res = await fetch('/api/events', { signal: abort.signal });
    const { value } = await res.body!.getReader().read();
    abort.abort();
    return new TextDecoder().decode(value);
  });
  expect(again).toContain('retry: 3000');
});

test('GET /api/audit/export?format=csv downloads RFC 4180 UTF-8 CSV with formula cells neutralised', async ({ page }) => {
  await signIn(page);
  // A user agent is stored verbatim in the audit log: make it a formula and non-ASCII.
  const ua = '=HYPERLINK("http://evil.example","Zoë, click")';
  const tokenRes = await page.request.post('/api/tokens', { data: { name: 'csv-e2e' }, headers: { 'user-agent': ua } });
  expect(tokenRes.status()).toBe(201);
  const res = await page.request.get('/api/audit/export?format=csv&action=token.created');
  expect(res.status()).toBe(200);
  expect(res.headers()['content-type']).toBe('text/csv; charset=utf-8');
  expect(res.headers()['content-disposition']).toMatch(/^attachment; filename="marquee-audit-\d{4}-\d{2}-\d{2}\.csv"$/);
  const text = (await res.body()).toString('utf8');
  const records = text.split('\r\n');
  expect(records[0]).toBe('id,at,actorId,actorType,action,targetType,targetId,ip,userAgent,detail');
  expect(records.at(-1)).toBe('');
  expect(text).toContain(`"'=HYPERLINK(""http://evil.example"",""Zoë, click"")"`);
});
