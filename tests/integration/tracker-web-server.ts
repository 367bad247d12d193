// Starts Marquee's real web server (scripts/web-server.ts: Node HTTP in front of Next) for tests that
// must go through real HTTP: CORS, preflight, rate-limit headers, concurrent connections. It runs
// Next in dev mode on a private dist folder, so it always serves the current sources without a
// build; Next rewrites tsconfig.json's include on start, which is restored afterwards.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { freePort } from '../../lib/database/embedded';

export interface WebServer {
  base: string;
  stop(): Promise<void>;
  log(): string;
}

export async function startWebServer(extraEnv: Record<string, string>, timeoutMs = 240_000): Promise<WebServer> {
  const port = await freePort();
  const dist = `.next-it-${randomBytes(4).toString('hex')}`;
  const tsconfig = fs.readFileSync('tsconfig.json', 'utf8');
  let out = '';
  const proc: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'scripts/web-server.ts', '--dev'], {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', NEXT_DIST_DIR: dist, NEXT_TELEMETRY_DISABLED: '1', NODE_ENV: 'development', ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  proc.stdout!.on('data', (d) => (out += d));
  proc.stderr!.on('data', (d) => (out += d));
  const base = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (proc.exitCode === null) {
      proc.kill('SIGTERM');
      await new Promise<void>((r) => {
        const t = setTimeout(() => (proc.kill('SIGKILL'), r()), 10_000);
        proc.once('exit', () => (clearTimeout(t), r()));
      });
    }
    fs.writeFileSync('tsconfig.json', tsconfig);
    fs.rmSync(path.resolve(dist), { recursive: true, force: true });
  };
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (proc.exitCode !== null) break;
    // An anonymous call answers 401 once Next has compiled the route (health could be 503 without a worker).
    const res = await send(`${base}/api/tracker/current`, { timeoutMs: 120_000 }).catch(() => null);
    if (res?.status === 401) return { base, stop, log: () => out };
    await new Promise((r) => setTimeout(r, 500));
  }
  await stop();
  throw new Error(`web server did not start:\n${out.slice(-3000)}`);
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
