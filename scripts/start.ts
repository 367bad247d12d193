// npm start / npm run dev: one command runs all of Marquee.
//   1. secrets generated into DATA_DIR on first start (AUTH_SECRET, encryption key, db password)
//   2. PostgreSQL: DATABASE_URL, or an embedded one under DATA_DIR/db
//   3. migrations applied
//   4. the app built when no build exists or sources are newer (npm start only)
//   5. the web server and the pg-boss worker as child processes
// It then supervises them: a web server, worker or embedded database that dies (a SIGKILL from the
// OOM killer during a big transcode) is restarted with backoff while the rest keeps running, so
// /api/health shows what is down meanwhile; the fifth crash of one of them within 10 minutes stops
// everything with an error (lib/system/restart-policy.ts).
// SIGINT/SIGTERM stop the children, then the embedded database, and exit.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { env } from '../lib/env';
import { loadOrCreateSecrets } from '../lib/secrets';
import { deployMigrations } from '../lib/database/migrate';
import { freePort, isPortFree, startEmbeddedPostgres, type EmbeddedDb } from '../lib/database/embedded';
import { createRestartTracker, DEFAULT_RESTART_POLICY, type RestartTracker } from '../lib/system/restart-policy';

const dev = process.argv.includes('--dev');
const root = process.cwd();
const bin = (name: string) => path.join(root, 'node_modules', '.bin', name);
const distDir = process.env.NEXT_DIST_DIR || '.next';
const say = (msg: string) => console.log(`[marquee] ${msg}`);

let embedded: EmbeddedDb | undefined;
// A restart in progress: shutdown waits for it, so no postmaster outlives the launcher.
let embeddedStarting: Promise<unknown> | undefined;
const children = new Map<string, ChildProcess>();
const trackers = new Map<string, RestartTracker>();
const pendingRestarts = new Set<NodeJS.Timeout>();
let stopping = false;

const windowMinutes = DEFAULT_RESTART_POLICY.windowMs / 60_000;

/** Schedules `restart` after the policy's delay, or stops everything when `name` keeps crashing. */
function afterCrash(name: string, how: string, restart: () => void | Promise<void>) {
  let tracker = trackers.get(name);
  if (!tracker) trackers.set(name, (tracker = createRestartTracker()));
  const decision = tracker.recordFailure();
  if (decision.giveUp) {
    console.error(
      `[marquee] ERROR: ${name} ${how}, its ${decision.failures}th failure within ${windowMinutes} minutes; giving up and stopping everything`,
    );
    void shutdown(1);
    return;
  }
  console.error(
    `[marquee] ${name} ${how}; restarting it in ${decision.delayMs / 1000} s (failure ${decision.failures} of ${DEFAULT_RESTART_POLICY.maxFailures} allowed within ${windowMinutes} minutes)`,
  );
  const timer = setTimeout(() => {
    pendingRestarts.delete(timer);
    if (!stopping) void restart();
  }, decision.delayMs);
  pendingRestarts.add(timer);
}

function newestMtime(dir: string): number {
  let newest = 0;
  if (!fs.existsSync(dir)) return 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : fs.statSync(p).mtimeMs);
  }
  return newest;
}

function needsBuild(): boolean {
  const stamp = path.join(root, distDir, 'BUILD_ID');
  if (!fs.existsSync(stamp)) return true;
  if (!env.REBUILD_ON_CHANGE) return false;
  const built = fs.statSync(stamp).mtimeMs;
  const sources = ['app', 'lib', 'components', 'public', 'prisma/schema'].map((d) => newestMtime(path.join(root, d)));
  const configs = ['next.config.mjs', 'package.json', 'proxy.ts'].map((f) => (fs.existsSync(f) ? fs.statSync(f).mtimeMs : 0));
  return Math.max(...sources, ...configs) > built;
}

function run(cmd: string, args: string[], childEnv: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { stdio: 'inherit', env: childEnv });
    children.set('build', p);
    p.on('exit', (code) => {
      children.delete('build');
      if (code === 0) resolve();
      else reject(new Error(`${path.basename(cmd)} ${args.join(' ')} exited with ${code}`));
    });
  });
}

function launch(name: string, cmd: string, args: string[], childEnv: NodeJS.ProcessEnv) {
  const child = spawn(cmd, args, { stdio: 'inherit', env: childEnv });
  children.set(name, child);
  child.on('exit', (code, signal) => {
    children.delete(name);
    if (stopping) return;
    afterCrash(name, `exited (${signal ?? `code ${code}`})`, () => launch(name, cmd, args, childEnv));
  });
}

type EmbeddedOptions = Parameters<typeof startEmbeddedPostgres>[0];

/** Starts the embedded database and restarts it (same port, same data) whenever it dies. */
async function superviseEmbedded(opts: EmbeddedOptions): Promise<EmbeddedDb> {
  const starting = startEmbeddedPostgres(opts);
  embeddedStarting = starting.catch(() => undefined);
  const db = await starting;
  embedded = db;
  db.onUnexpectedExit((code, signal) => {
    if (stopping) return;
    const restart = async () => {
      try {
        await superviseEmbedded(opts);
        say(`embedded PostgreSQL is back (pid ${embedded?.pid})`);
      } catch (err) {
        if (stopping) return;
        afterCrash('embedded PostgreSQL', `did not start again (${err instanceof Error ? err.message : String(err ?? 'exited early')})`, restart);
      }
    };
    afterCrash('embedded PostgreSQL', `exited (${signal ?? `code ${code}`})`, restart);
  });
  return db;
}

async function waitForHealth(url: string, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until && !stopping) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      const body = (await res.json()) as { db?: string; worker?: { status?: string } };
      if (res.ok && body.db === 'ok' && body.worker?.status === 'ok') return true;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  return false;
}

async function shutdown(code = 0) {
  if (stopping) return;
  stopping = true;
  say('stopping…');
  for (const t of pendingRestarts) clearTimeout(t);
  const exits = [...children.values()].map(
    (c) =>
      new Promise<void>((resolve) => {
        if (c.exitCode !== null || c.signalCode !== null) return resolve();
        c.once('exit', () => resolve());
        c.kill('SIGTERM');
        setTimeout(() => c.kill('SIGKILL'), 15_000).unref();
      }),
  );
  await Promise.all(exits);
  await embeddedStarting;
  if (embedded) {
    await embedded.stop().catch((err) => console.error('[marquee] embedded PostgreSQL did not stop cleanly', err));
  }
  say('stopped');
  process.exit(code);
}

async function main() {
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));

  const dataDir = path.resolve(env.DATA_DIR);
  fs.mkdirSync(dataDir, { recursive: true });
  const secrets = loadOrCreateSecrets(dataDir);

  let databaseUrl = env.DATABASE_URL;
  if (!databaseUrl) {
    const port = (await isPortFree(env.EMBEDDED_PG_PORT)) ? env.EMBEDDED_PG_PORT : await freePort();
    say(`starting embedded PostgreSQL (data in ${path.join(dataDir, 'db')}, port ${port})`);
    const db = await superviseEmbedded({
      databaseDir: path.join(dataDir, 'db'),
      port,
      password: secrets.dbPassword,
      database: 'marquee',
    });
    databaseUrl = db.url;
  }

  const applied = await deployMigrations(databaseUrl);
  say(applied.length ? `applied migrations: ${applied.join(', ')}` : 'database schema is up to date');

  // Seed ADMIN_EMAIL/ADMIN_PASSWORD before the web server answers, so nobody races /setup.
  env.DATABASE_URL = databaseUrl;
  const { seedAdminFromEnv } = await import('../lib/auth/setup');
  if ((await seedAdminFromEnv()) === 'created') say(`created the admin account ${env.ADMIN_EMAIL}`);
  const { db } = await import('../lib/db');
  await db.$disconnect();

  if (!(await isPortFree(env.PORT))) throw new Error(`port ${env.PORT} is already in use: set PORT to another port`);

  const origin = env.PUBLIC_URL ?? `http://localhost:${env.PORT}`;
  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    DATA_DIR: dataDir,
    DATABASE_URL: databaseUrl,
    AUTH_SECRET: env.AUTH_SECRET ?? secrets.authSecret,
    ENCRYPTION_KEY: env.ENCRYPTION_KEY ?? secrets.encryptionKey,
    NEXT_TELEMETRY_DISABLED: '1',
    ...(env.PUBLIC_URL ? { NEXTAUTH_URL: env.PUBLIC_URL } : { AUTH_TRUST_HOST: 'true' }),
  };

  if (!dev && needsBuild()) {
    say('building the app (first start or sources changed; takes about a minute)…');
    await run(bin('next'), ['build'], { ...childEnv, NODE_ENV: 'production' });
  }
  // The dev server runs behind the same web server, so it too ignores a client-sent X-Forwarded-For.
  launch('web', process.execPath, ['--import', 'tsx', path.join(root, 'scripts', 'web-server.ts'), ...(dev ? ['--dev'] : [])], {
    ...childEnv,
    NODE_ENV: dev ? 'development' : 'production',
  });
  // node --import tsx (not the tsx wrapper) so the signal reaches the worker itself and we wait for it.
  launch('worker', process.execPath, ['--import', 'tsx', path.join(root, 'workers', 'index.ts')], {
    ...childEnv,
    NODE_ENV: dev ? 'development' : 'production',
  });

  const healthy = await waitForHealth(`http://127.0.0.1:${env.PORT}/api/health`, dev ? 180_000 : 90_000);
  if (stopping) return;
  if (!healthy) say('warning: health check did not turn ok yet; see the logs above');
  say(`Marquee is running at ${origin}`);
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const { rows } = await client.query<{ n: string }>('SELECT count(*)::text AS n FROM "User"');
  await client.end();
  if (rows[0]?.n === '0') say(`first run: create the admin account at ${origin}/setup`);
}

main().catch(async (err) => {
  console.error(`[marquee] failed to start: ${err instanceof Error ? err.message : String(err)}`);
  await shutdown(1);
});
