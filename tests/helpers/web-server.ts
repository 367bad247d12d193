// Marquee's real HTTP server (scripts/web-server.ts, Next in dev mode: no build needed) on a free
// port, against the calling test file's database and secrets. For what only a real server shows:
// cookies, forwarded headers, CORS and preflight, next-auth's own endpoints, concurrent connections.
// Each server gets its own build folder and its own tsconfig (Next's dev server rewrites the one it
// is given to list its build folder's types), so several test files may run one at once and nothing
// in the checkout changes.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { freePort } from '../../lib/database/embedded';

export interface WebServer {
  url: string;
  output: () => string;
  stop: () => Promise<void>;
}

export interface StartOptions {
  /** A path answered (any status below 500) once Next has compiled it. */
  readyPath?: string;
  timeoutMs?: number;
}

export async function startWebServer(extraEnv: Record<string, string> = {}, opts: StartOptions = {}): Promise<WebServer> {
  const { readyPath = '/api/auth/csrf', timeoutMs = 300_000 } = opts;
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const id = randomBytes(4).toString('hex');
  const distDir = `.next-it-${id}`;
  const tsconfig = `tsconfig.it-${id}.json`;
  fs.writeFileSync(tsconfig, JSON.stringify({ extends: './tsconfig.json' }, null, 2));
  // vitest sets NODE_ENV=test; Next's dev server wants to set it itself.
  const { NODE_ENV: _nodeEnv, ...inherited } = process.env;
  const env: Record<string, string | undefined> = {
    ...inherited,
    PORT: String(port),
    HOST: '127.0.0.1',
    NEXT_DIST_DIR: distDir,
    NEXT_TSCONFIG_PATH: tsconfig,
    NEXT_TELEMETRY_DISABLED: '1',
    LOG_LEVEL: 'warn',
    ...extraEnv,
  };
  let log = '';
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', path.join('scripts', 'web-server.ts'), '--dev'], {
    env: env as NodeJS.ProcessEnv,
    cwd: process.cwd(),
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // its own process group, so stop() ends whatever Next started under it
  });
  child.stdout!.on('data', (d) => (log += d));
  child.stderr!.on('data', (d) => (log += d));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      try {
        process.kill(-child.pid!, 'SIGTERM');
      } catch {
        /* already gone */
      }
      const killer = setTimeout(() => {
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          /* already gone */
        }
      }, 10_000);
      await exited;
      clearTimeout(killer);
    }
    fs.rmSync(distDir, { recursive: true, force: true });
    fs.rmSync(tsconfig, { force: true });
  };

  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (child.exitCode !== null) break;
    const res = await send(url + readyPath, { timeoutMs: 120_000 }).catch(() => null);
    if (res && res.status < 500) return { url, output: () => log, stop };
    await new Promise((r) => setTimeout(r, 500));
  }
  await stop();
  throw new Error(`web server not ready within ${timeoutMs} ms:\n${log.slice(-3000)}`);
}

export interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  json<T = Record<string, unknown>>(): T;
}

/** One HTTP request on its own connection (no keep-alive pool), so concurrent calls really are concurrent connections. */
export function send(url: string, opts: { method?: string; headers?: Record<string, string>; body?: unknown; timeoutMs?: number } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const payload = opts.body === undefined ? undefined : typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
    const headers: Record<string, string> = { ...(payload ? { 'content-type': 'application/json' } : {}), ...opts.headers };
    const req = http.request(url, { method: opts.method ?? 'GET', headers, agent: false, timeout: opts.timeoutMs ?? 60_000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body, json: <T,>() => JSON.parse(body) as T }));
    });
    req.on('timeout', () => req.destroy(new Error(`timeout: ${url}`)));
    req.on('error', reject);
    req.end(payload);
  });
}

/** The cookies a response sets, by name (first `name=value` of each Set-Cookie). */
export function cookiesOf(res: Response): Map<string, string> {
  const out = new Map<string, string>();
  for (const c of res.headers.getSetCookie()) {
    const [pair] = c.split(';');
    const i = pair!.indexOf('=');
    out.set(pair!.slice(0, i), pair!.slice(i + 1));
  }
  return out;
}
