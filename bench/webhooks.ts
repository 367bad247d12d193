// `npm run bench:webhooks [requests] [concurrency]`: 5,000 Sonarr Download webhooks (the real payload
// shape, each a distinct series folder) at concurrency 32 through Marquee's real HTTP server
// (scripts/web-server.ts on the production build) over keep-alive, beside the same app's
// GET /api/health under the same load and a bare Node `http` server answering 202. Prints
// accepted/s and p50/p99 acknowledgement latency of each, then checks that every request shows in
// GET /api/scans (0 lost) and that one folder sent 100 times gives exactly 1 scan per target.
// A worker (workers/index.ts) routes the requests as it would in production. Needs a build
// (`npm run build`; it is made if missing) and DATABASE_URL (a PostgreSQL where it may create and
// drop a scratch database).
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import { createInterface } from 'node:readline';
import { freePort } from '../lib/database/embedded';
import { createScratchDatabase } from './lib/scratch';

const N = Number(process.argv[2] ?? 5000);
const CONCURRENCY = Number(process.argv[3] ?? 32);
const WARMUP = 300;
const scratch = await createScratchDatabase('marquee_bench_webhooks');
process.env.AUTH_SECRET ??= randomBytes(32).toString('base64url');
process.env.DATA_DIR ??= fs.mkdtempSync('/tmp/marquee-bench-webhooks-');

const children: ChildProcess[] = [];
const cleanup = async () => {
  for (const c of children) {
    try {
      process.kill(c.pid!, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
  const { db } = await import('../lib/db');
  await db.$disconnect().catch(() => {});
  const { stopBoss } = await import('../lib/jobs/boss');
  await stopBoss().catch(() => {});
  await scratch.drop();
};

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))]!;

async function waitFor(what: string, fn: () => Promise<boolean>, ms = 300_000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await fn().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${what}`);
}

interface LoadResult { ok: number; other: Record<number, number>; seconds: number; p50: number; p99: number }

/** `count` requests at `concurrency`, over one keep-alive agent; latency = request sent → status line received. */
async function load(target: { method: string; url: string; body?: (i: number) => string }, count: number, offset = 0): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const latencies: number[] = [];
  const other: Record<number, number> = {};
  let ok = 0;
  let next = 0;
  const one = (i: number) =>
    new Promise<void>((resolve, reject) => {
      const body = target.body?.(i + offset);
      const t0 = performance.now();
      const req = http.request(target.url, { method: target.method, agent, headers: body ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } : {} }, (res) => {
        latencies.push(performance.now() - t0);
        const status = res.statusCode ?? 0;
        if (status >= 200 && status < 300) ok++;
        else other[status] = (other[status] ?? 0) + 1;
        res.resume();
        res.on('end', resolve);
      });
      req.on('error', reject);
      req.end(body);
    });
  const start = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < count) await one(next++);
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  agent.destroy();
  return { ok, other, seconds, p50: pct(latencies, 50), p99: pct(latencies, 99) };
}

try {
  if (!fs.existsSync('.next/BUILD_ID')) {
    console.log('no production build: running next build…');
    execFileSync('npx', ['next', 'build'], { stdio: 'inherit', env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' } });
  }
  const { deployMigrations } = await import('../lib/database/migrate');
  await deployMigrations(scratch.url);
  const { db } = await import('../lib/db');
  const { encryptString } = await import('../lib/crypto/encryption');
  const { getOrCreateWebhookSecret } = await import('../lib/webhooks');
  const { hashToken } = await import('../lib/auth/session');
  const { generateApiToken } = await import('../lib/auth/tokens');

  // Targets: a fake Plex and a fake Jellyfin (their own process), each with a TV library at /bench/tv.
  const fakesProc = spawn(process.execPath, ['--import', 'tsx', 'bench/poll-fakes.ts', '2', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(fakesProc);
  const fakes = await new Promise<{ type: 'plex' | 'jellyfin'; url: string; token: string }[]>((resolve) => createInterface({ input: fakesProc.stdout! }).once('line', (l) => resolve(JSON.parse(l))));
  const serverIds: string[] = [];
  for (const [i, f] of fakes.entries()) {
    const id = `bench-${f.type}-${i}`;
    serverIds.push(id);
    await db.mediaServer.create({ data: { id, type: f.type, name: `Bench ${f.type}`, url: f.url, tokenEnc: encryptString(f.token, undefined, `server:${id}`), health: 'ok', enabled: true, pollIntervalS: 3600 } });
    await db.mediaLibrary.create({ data: { serverId: id, externalId: '2', name: 'TV', type: 'show', paths: ['/bench/tv'] } });
  }
  const secret = await getOrCreateWebhookSecret();
  const user = await db.user.create({ data: { email: 'bench@example.test', name: 'Bench', passwordHash: 'x', role: 'admin' } });
  const token = generateApiToken();
  await db.apiToken.create({ data: { userId: user.id, name: 'bench', tokenHash: hashToken(token), prefix: token.slice(0, 10), scopes: ['all'] } });

  const appPort = await freePort();
  const barePort = await freePort();
  const childEnv = { ...process.env, PORT: String(appPort), HOST: '127.0.0.1', NODE_ENV: 'production' as const, NEXT_TELEMETRY_DISABLED: '1', HEARTBEAT_INTERVAL_S: '5' };
  const worker = spawn(process.execPath, ['--import', 'tsx', 'workers/index.ts'], { env: childEnv, stdio: ['ignore', 'ignore', 'inherit'] });
  const web = spawn(process.execPath, ['--import', 'tsx', 'scripts/web-server.ts'], { env: childEnv, stdio: ['ignore', 'ignore', 'inherit'] });
  const bare = spawn(
    process.execPath,
    ['-e', `require('http').createServer((q, s) => { q.resume(); q.on('end', () => { s.writeHead(202, { 'content-type': 'application/json' }); s.end('{"queued":1}'); }); }).listen(${barePort}, '127.0.0.1')`],
    { stdio: 'inherit' },
  );
  children.push(worker, web, bare);
  const base = `http://127.0.0.1:${appPort}`;
  await waitFor('the web server', async () => (await fetch(`${base}/api/health`)).status === 200, 120_000);
  await waitFor('the bare server', async () => (await fetch(`http://127.0.0.1:${barePort}/`, { method: 'POST' })).status === 202, 10_000);

  const template = JSON.parse(fs.readFileSync('tests/fixtures/sonarr/download.json', 'utf8')) as { series: { path: string; title: string }; episodeFile: { relativePath: string; path: string } };
  const payload = (i: number) => {
    const b = structuredClone(template);
    b.series.title = `Show ${i}`;
    b.series.path = `/bench/tv/Show ${i}`;
    b.episodeFile.relativePath = `Season 1/Show ${i} - S01E01.mkv`;
    b.episodeFile.path = `/downloads/Show ${i}/Show ${i} - S01E01.mkv`;
    return JSON.stringify(b);
  };
  const hookUrl = `${base}/api/webhooks/sonarr?token=${encodeURIComponent(secret)}`;
  const targets = {
    bare: { method: 'POST', url: `http://127.0.0.1:${barePort}/`, body: payload },
    health: { method: 'GET', url: `${base}/api/health` },
    webhooks: { method: 'POST', url: hookUrl, body: payload },
  };

  // Warm up each (JIT, connection pools), with folders outside the measured range.
  for (const t of Object.values(targets)) await load(t, WARMUP, 1_000_000);
  const results: Record<string, LoadResult> = {};
  for (const [name, t] of Object.entries(targets)) results[name] = await load(t, N);

  console.log(`\n${N} requests at concurrency ${CONCURRENCY}, keep-alive (Sonarr Download payload ${Buffer.byteLength(payload(0))} bytes):`);
  console.log('  target                          accepted/s   p50 ms   p99 ms   non-2xx');
  for (const [name, label] of [['bare', 'bare Node http → 202'], ['health', 'GET /api/health'], ['webhooks', 'POST /api/webhooks/sonarr']] as const) {
    const r = results[name]!;
    console.log(`  ${label.padEnd(31)} ${(r.ok / r.seconds).toFixed(0).padStart(10)} ${r.p50.toFixed(1).padStart(8)} ${r.p99.toFixed(1).padStart(8)}   ${JSON.stringify(r.other)}`);
  }
  const ratio = results.webhooks!.ok / results.webhooks!.seconds / (results.health!.ok / results.health!.seconds);
  console.log(`  webhooks / health rate: ${ratio.toFixed(2)} (goal ≥ 0.5); webhook p99 ${results.webhooks!.p99.toFixed(0)} ms (goal < 500)`);

  // Nothing lost: every measured folder is in GET /api/scans once the worker has routed them all.
  const unrouted = async () => (await db.scan.count({ where: { routedAt: null } })) === 0;
  const t0 = Date.now();
  await waitFor('routing', unrouted, 600_000);
  console.log(`\nworker routed every request ${((Date.now() - t0) / 1000).toFixed(1)} s after the last acknowledgement`);
  const seen = new Map<string, number>();
  let cursor: string | null = null;
  do {
    const res = await fetch(`${base}/api/scans?limit=1000&source=sonarr${cursor ? `&cursor=${cursor}` : ''}`, { headers: { authorization: `Bearer ${token}` } });
    const page = (await res.json()) as { scans: { sourcePath: string; serverId: string }[]; nextCursor: string | null };
    for (const s of page.scans) seen.set(s.sourcePath, (seen.get(s.sourcePath) ?? 0) + 1);
    cursor = page.nextCursor;
  } while (cursor);
  let lost = 0;
  for (let i = 0; i < N; i++) if ((seen.get(`/bench/tv/Show ${i}/Season 1`) ?? 0) !== serverIds.length) lost++;
  console.log(`GET /api/scans: ${N - lost}/${N} folders with a scan on each of the ${serverIds.length} targets → lost: ${lost}`);

  // One folder 100 times → exactly one scan per target (the debounce window merges them).
  const same = await load({ method: 'POST', url: hookUrl, body: () => payload(-1) }, 100);
  await waitFor('routing', unrouted, 120_000);
  const res = await fetch(`${base}/api/scans?limit=1000&q=${encodeURIComponent('/bench/tv/Show -1/')}`, { headers: { authorization: `Bearer ${token}` } });
  const rows = ((await res.json()) as { scans: { serverId: string; requestCount: number }[] }).scans;
  const perTarget = serverIds.map((id) => rows.filter((r) => r.serverId === id));
  console.log(`same folder ×100 (${same.ok} accepted): scans per target ${perTarget.map((r) => r.length).join(', ')} (requests merged: ${perTarget.map((r) => r.reduce((n, x) => n + x.requestCount, 0)).join(', ')})`);
} finally {
  await cleanup();
}
process.exit(0);
