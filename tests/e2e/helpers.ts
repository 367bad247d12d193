import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test } from '@playwright/test';

export const ADMIN = { email: 'admin@e2e.test', password: 'E2e-Admin-Passw0rd!' };

// The e2e server runs as if behind a reverse proxy (TRUST_PROXY, playwright.config.ts): each browser
// that signs in through here comes from its own client address, as real users do, so the per-address
// sign-in limit (10 a minute) counts each spec's sign-ins apart instead of all of the run's at once.
const run = Math.floor(Math.random() * 256);
let clients = 0;

/** Signs in through the login form and waits for the console. */
export async function signIn(page: Page, email = ADMIN.email, password = ADMIN.password, baseURL?: string) {
  clients += 1;
  await page.context().setExtraHTTPHeaders({ 'x-forwarded-for': `198.18.${run}.${clients % 250 + 1}` });
  await page.goto(`${baseURL ?? ''}/login`);
  // The local form only: /login may also offer media-server sign-in (its own password field and buttons).
  const form = page.locator('form', { has: page.getByLabel('Email') });
  await form.getByLabel('Email').fill(email);
  await form.getByLabel('Password', { exact: true }).fill(password);
  await form.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
}

/** Every descendant pid of a process (via ps), deepest last. */
export function descendants(pid: number): number[] {
  const out = execFileSync('ps', ['-eo', 'pid=,ppid=']).toString();
  const pairs = out
    .trim()
    .split('\n')
    .map((l) => l.trim().split(/\s+/).map(Number) as [number, number]);
  const result: number[] = [];
  const walk = (p: number) => {
    for (const [child, parent] of pairs) {
      if (parent === p) {
        result.push(child);
        walk(child);
      }
    }
  };
  walk(pid);
  return result;
}

/** True while the process runs (a zombie waiting to be reaped has exited and does not count). */
export function isAlive(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/** Starts `npm start` as a user would, on its own port and data folder. */
export function startMarquee(env: Record<string, string>): { proc: ChildProcess; output: () => string } {
  let log = '';
  const proc = spawn('npm', ['start'], { env: { ...process.env, DATABASE_URL: '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  proc.stdout!.on('data', (d) => (log += d));
  proc.stderr!.on('data', (d) => (log += d));
  return { proc, output: () => log };
}

export async function waitForHealthy(base: string, ms = 240_000) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    try {
      const res = await fetch(`${base}/api/health`, { signal: AbortSignal.timeout(2000) });
      const body = (await res.json()) as { db: string; worker: { status: string } };
      if (res.ok && body.db === 'ok' && body.worker.status === 'ok') return body;
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${base} did not become healthy`);
}

/**
 * A generated 720p H.264/AAC clip of `seconds`, made once for the spec file in its own temp folder
 * (in beforeAll, not at module load: Playwright also loads spec files in its runner process) and
 * removed after. Returns the clip's path, to read inside the tests.
 */
export function generatedClipForSpec(name: string, seconds: number, toneHz: number): () => string {
  let dir = '';
  let clip = '';
  test.beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), `marquee-${name}-`));
    clip = path.join(dir, `${name}.mp4`);
    execFileSync('ffmpeg', [
      '-v', 'error', '-y', '-f', 'lavfi', '-i', `testsrc2=size=1280x720:rate=30:duration=${seconds}`,
      '-f', 'lavfi', '-i', `sine=frequency=${toneHz}:sample_rate=48000:duration=${seconds}`,
      '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest', clip,
    ]);
  });
  test.afterAll(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });
  return () => clip;
}
