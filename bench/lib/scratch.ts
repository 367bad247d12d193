// What the benches share: a scratch database on DATABASE_URL's server (created, migrated by the
// caller, dropped at the end) and the fake media servers of bench/poll-fakes.ts in a child process.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import pg from 'pg';

export interface FakeServer {
  type: 'plex' | 'jellyfin' | 'emby';
  url: string;
  token: string;
}

/**
 * Creates `<prefix>_<pid>` beside DATABASE_URL's database and points this process's DATABASE_URL
 * (and ENCRYPTION_KEY, LOG_LEVEL=error) at it, before lib/env is first imported. `drop()` removes it.
 */
export async function createScratchDatabase(prefix: string): Promise<{ name: string; url: string; drop: (opts?: { keep?: boolean }) => Promise<void> }> {
  const adminUrl = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
  const dbName = `${prefix}_${process.pid}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${dbName}"`);
  const url = new URL(adminUrl);
  url.pathname = `/${dbName}`;
  process.env.DATABASE_URL = url.toString();
  process.env.ENCRYPTION_KEY ??= randomBytes(32).toString('base64');
  process.env.LOG_LEVEL = 'error';
  return {
    name: dbName,
    url: url.toString(),
    /** Drops the database (`keep`: leaves it, e.g. for EXPLAIN) and closes the admin connection. */
    drop: async ({ keep = false } = {}) => {
      if (!keep) await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`).catch(() => {});
      await admin.end();
    },
  };
}

/** Starts bench/poll-fakes.ts (servers × sessions fake Plex/Jellyfin/Emby) and waits for their addresses. */
export async function startPollFakes(servers: number, sessions: number, mode: 'still' | 'moving' = 'still') {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/poll-fakes.ts', String(servers), String(sessions), mode], { stdio: ['ignore', 'pipe', 'inherit'] });
  const fakes = await new Promise<FakeServer[]>((resolve) => {
    createInterface({ input: child.stdout! }).once('line', (l) => resolve(JSON.parse(l)));
  });
  return { fakes, stop: () => void child.kill('SIGTERM') };
}
