// Bodies, paths and headers through the real server (`npm start` → scripts/web-server.ts → Next):
// - uploads above Next's 10 MB proxy buffer arrive whole (one-request multipart and a resumable chunk);
// - a request that will be refused (no session: 401; too large: 413) is answered before its body is
//   sent, so nobody can make the server hold a body it refuses;
// - a malformed percent-escape in an /api path is a 400 JSON error, not a plain-text 500;
// - the streaming routes, now outside proxy.ts, still carry the security headers.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { test, expect } from '@playwright/test';
import { signIn } from './helpers';

const port = Number(process.env.E2E_PORT ?? 3100);
const base = `http://127.0.0.1:${port}`;
let dir = '';
let clip = '';
let cookie = '';

test.beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'marquee-e2e-hardening-'));
  clip = path.join(dir, 'big-clip.mp4');
  // Noise keeps x264 from compressing: 3 s at 40 Mbit/s ≈ 15 MB of real, ingestible video.
  execFileSync('ffmpeg', [
    '-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=size=640x360:rate=25:duration=3',
    '-f', 'lavfi', '-i', 'sine=frequency=330:sample_rate=48000:duration=3', '-vf', 'noise=alls=80:allf=t',
    '-c:v', 'libx264', '-preset', 'ultrafast', '-b:v', '40M', '-maxrate', '40M', '-bufsize', '20M',
    '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest', clip,
  ]);
});
test.afterAll(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

async function sessionCookie(page: import('@playwright/test').Page) {
  if (cookie) return cookie;
  await signIn(page);
  cookie = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
  return cookie;
}

function curl(args: string[]): { status: number; body: string } {
  const out = execFileSync('curl', ['-sS', '--max-time', '120', '-w', '\n%{http_code}', ...args]).toString();
  const i = out.lastIndexOf('\n');
  return { status: Number(out.slice(i + 1)), body: out.slice(0, i) };
}

/** Sends only a request head (no body) and returns every response line the server sent within `ms`. */
function sendHeadOnly(head: string[], ms = 15_000): Promise<{ raw: string; finalStatus: number | null; sawContinue: boolean; closedByServer: boolean }> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    let raw = '';
    let closedByServer = false;
    const done = () => {
      socket.destroy();
      const statuses = [...raw.matchAll(/^HTTP\/1\.1 (\d{3})/gm)].map((m) => Number(m[1]));
      resolve({ raw, finalStatus: statuses.find((s) => s !== 100) ?? null, sawContinue: statuses.includes(100), closedByServer });
    };
    const timer = setTimeout(done, ms);
    socket.on('end', () => (closedByServer = true));
    socket.on('data', (d) => {
      raw += d.toString('latin1');
      if (/^HTTP\/1\.1 [2-5]\d\d/m.test(raw) && raw.includes('\r\n\r\n')) {
        clearTimeout(timer);
        setTimeout(done, 1_000);
      }
    });
    socket.on('error', () => {
      clearTimeout(timer);
      done();
    });
    socket.write(`${head.join('\r\n')}\r\nHost: 127.0.0.1:${port}\r\n\r\n`);
  });
}

function rawRequest(method: string, rawPath: string, headers: Record<string, string> = {}): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path: rawPath, headers: { 'content-type': 'application/json', ...headers } }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode!, type: String(res.headers['content-type']), body }));
    });
    req.on('error', reject);
    req.end(method === 'GET' ? undefined : '{}');
  });
}

test('POST /api/videos: a 15 MB multipart upload (curl -F) is accepted whole → 201', async ({ page }) => {
  test.setTimeout(180_000);
  const size = fs.statSync(clip).size;
  expect(size).toBeGreaterThan(12 * 1024 * 1024);
  const c = await sessionCookie(page);
  const res = curl(['-H', `cookie: ${c}`, '-F', `file=@${clip};type=video/mp4`, '-F', 'title=Fifteen megabytes', `${base}/api/videos`]);
  expect(res.status, res.body).toBe(201);
  const { id } = JSON.parse(res.body) as { id: string };
  expect(id).toBeTruthy();
  // Not needed any further: spare the shared machine the transcode.
  expect(curl(['-X', 'DELETE', '-H', `cookie: ${c}`, `${base}/api/videos/${id}`]).status).toBe(204);
});

test('resumable upload: one 15 MB chunk arrives whole → 201 with the video', async ({ page }) => {
  test.setTimeout(180_000);
  const size = fs.statSync(clip).size;
  const c = await sessionCookie(page);
  const created = curl(['-H', `cookie: ${c}`, '-H', 'content-type: application/json', '--data', JSON.stringify({ title: 'Resumable big chunk', sizeBytes: size }), `${base}/api/videos/uploads`]);
  expect(created.status, created.body).toBe(201);
  const { id } = JSON.parse(created.body) as { id: string };
  const put = curl(['-X', 'PUT', '-H', `cookie: ${c}`, '-H', 'content-type: application/octet-stream', '-H', `content-range: bytes 0-${size - 1}/${size}`, '--data-binary', `@${clip}`, `${base}/api/videos/uploads/${id}`]);
  expect(put.status, put.body).toBe(201);
  const video = (JSON.parse(put.body) as { video: { id: string } }).video;
  expect(curl(['-X', 'DELETE', '-H', `cookie: ${c}`, `${base}/api/videos/${video.id}`]).status).toBe(204);
});

test('an unauthenticated upload declaring 5 GB is refused (401) before its body is sent', async () => {
  for (const [method, p] of [['POST', '/api/videos'], ['PUT', '/api/videos/uploads/some-upload-id']]) {
    const res = await sendHeadOnly([
      `${method} ${p} HTTP/1.1`,
      'Content-Type: multipart/form-data; boundary=x',
      'Content-Length: 5000000000',
      'Expect: 100-continue',
    ]);
    expect(res.finalStatus, `${method} ${p}: ${res.raw.slice(0, 300)}`).toBe(401);
    // Not invited to send the body it is refused, and not waited for either.
    expect(res.sawContinue).toBe(false);
    expect(res.closedByServer).toBe(true);
    expect(res.raw).toContain('"code":"unauthorized"');
  }
});

test('a JSON API request declaring more than 1 MiB (or no length) is refused before its body is buffered', async () => {
  for (const [method, p] of [['POST', '/api/account'], ['PATCH', '/api/servers/abc'], ['POST', '/api/auth/callback/credentials']]) {
    const res = await sendHeadOnly([`${method} ${p} HTTP/1.1`, 'Content-Type: application/json', `Content-Length: ${50 * 1024 * 1024}`]);
    expect(res.finalStatus, `${method} ${p}: ${res.raw.slice(0, 300)}`).toBe(413);
    expect(res.raw).toContain('"code":"payload_too_large"');
    expect(res.closedByServer).toBe(true);
  }
  // A body of unknown length (chunked) could not be checked up front: it is refused (411) too.
  const chunked = await sendHeadOnly(['POST /api/account HTTP/1.1', 'Content-Type: application/json', 'Transfer-Encoding: chunked']);
  expect(chunked.finalStatus, chunked.raw.slice(0, 300)).toBe(411);
  expect(chunked.raw).toContain('"code":"length_required"');
});

test('a signed-in upload declaring more than the configured maximum is refused (413) before its body is sent', async ({ page }) => {
  const c = await sessionCookie(page);
  const res = await sendHeadOnly([
    'POST /api/videos HTTP/1.1',
    `Cookie: ${c}`,
    'Content-Type: multipart/form-data; boundary=x',
    `Content-Length: ${20 * 1024 ** 3}`, // the default maximum is 10 GiB
    'Expect: 100-continue',
  ]);
  expect(res.finalStatus, res.raw.slice(0, 300)).toBe(413);
  expect(res.sawContinue).toBe(false);
  expect(res.raw).toContain('"code":"payload_too_large"');
});

test('a malformed percent-escape in an /api path → 400 JSON bad_request, not a 500', async () => {
  for (const [method, p] of [
    ['PATCH', '/api/servers/abc%'],
    ['GET', '/api/videos/abc%/progress'],
    ['PUT', '/api/videos/abc%/progress'],
    ['GET', '/api/videos/%E0%A4%A'],
    ['GET', '/api/users/%zz'],
  ]) {
    const res = await rawRequest(method, p);
    expect(res.status, `${method} ${p}: ${res.body}`).toBe(400);
    expect(res.type).toContain('application/json');
    expect(JSON.parse(res.body)).toEqual({ error: { code: 'bad_request', message: expect.any(String) } });
  }
  // A page address is a plain 400 too, not a 500 (a session cookie gets past the sign-in redirect).
  for (const p of ['/library/abc%', '/servers/%E0%A4%A']) {
    expect((await rawRequest('GET', p, { cookie: 'next-auth.session-token=x' })).status, p).toBe(400);
  }
});

test('the streaming routes (outside proxy.ts) still carry the security headers', async () => {
  for (const p of ['/api/videos', '/api/videos/uploads/x', '/api/webhooks/sonarr']) {
    const res = await fetch(`${base}${p}`, { method: 'POST' });
    const h = res.headers;
    expect(h.get('x-content-type-options'), p).toBe('nosniff');
    expect(h.get('x-frame-options'), p).toBe('DENY');
    expect(h.get('content-security-policy'), p).toContain("frame-ancestors 'none'");
    expect(h.get('referrer-policy'), p).toBe('strict-origin-when-cross-origin');
  }
});
