// Marquee's real HTTP server (scripts/web-server.ts, Next in dev mode: no build needed) on a free
// port, against the calling test file's database and secrets. For what only a real server shows:
// cookies, forwarded headers, next-auth's own endpoints (they need Next's request context).
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { freePort } from '../../lib/database/embedded';

export interface WebServer {
  url: string;
  output: () => string;
  stop: () => Promise<void>;
}

export async function startWebServer(extraEnv: Record<string, string> = {}, readyPath = '/api/auth/csrf', timeoutMs = 300_000): Promise<WebServer> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  // vitest sets NODE_ENV=test; Next's dev server wants to set it itself. The default build folder:
  // Next 16 keeps dev output in .next/dev (beside a production build) and tsconfig.json already
  // lists it, so nothing in the checkout changes.
  const { NODE_ENV: _nodeEnv, NEXT_DIST_DIR: _distDir, ...inherited } = process.env;
  const env: Record<string, string | undefined> = { ...inherited, PORT: String(port), HOST: '127.0.0.1', NEXT_TELEMETRY_DISABLED: '1', LOG_LEVEL: 'warn', ...extraEnv };
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
    if (child.exitCode !== null || child.signalCode !== null) return;
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
  };

  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`web server exited (${child.exitCode}):\n${log}`);
    try {
      const res = await fetch(url + readyPath, { signal: AbortSignal.timeout(60_000) });
      if (res.ok) return { url, output: () => log, stop };
    } catch {
      /* not listening or still compiling */
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  await stop();
  throw new Error(`web server not ready within ${timeoutMs} ms:\n${log}`);
}
