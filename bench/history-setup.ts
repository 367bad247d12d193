// Shared by bench/export.ts and bench/history.ts: a scratch database with N plays (one set-based
// INSERT … SELECT generate_series), an admin API token, and the real web server (scripts/web-server.ts,
// production build: run `npx next build` first) on a free port against that database.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import net from 'node:net';
import pg from 'pg';
import { createScratchDatabase } from './lib/scratch';

export interface BenchWorld {
  dbUrl: string;
  token: string;
  web: { url: string; proc: ChildProcess; peakRssMb: () => number };
  pg: pg.Client;
  cleanup: () => Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/** Peak resident set of a process (VmHWM), in MB. */
export function peakRssMb(pid: number): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

export async function setUpHistoryBench(plays: number, opts: { web?: boolean } = {}): Promise<BenchWorld> {
  const scratch = await createScratchDatabase('marquee_bench_hist');
  const dbUrl = scratch.url;
  process.env.AUTH_SECRET ??= randomBytes(32).toString('base64');
  const { deployMigrations } = await import('../lib/database/migrate');
  await deployMigrations(dbUrl);
  const client = new pg.Client({ connectionString: dbUrl });
  await client.connect();

  const t = performance.now();
  // Plays over the last ~350 days, 3 servers, 500 media users; every tenth title needs CSV quoting.
  await client.query(`
    INSERT INTO "Play" ("id", "serverId", "serverName", "mediaUserId", "mediaUser", "title", "grandparentTitle", "parentIndex", "index", "mediaType",
      "startedAt", "stoppedAt", "lastSeenAt", "pausedS", "watchedS", "durationS", "progressPct", "completed", "decision", "player", "platform",
      "product", "ipAddress", "isLocal", "library", "source")
    SELECT md5(i::text)::uuid::text, 'bench-' || (i % 3), 'Bench server ' || (i % 3), 'u' || (i % 500), 'user' || (i % 500),
      'Title ' || i || CASE WHEN i % 10 = 0 THEN ', with "quotes"' ELSE '' END,
      CASE WHEN i % 2 = 0 THEN 'Show ' || (i % 300) END, CASE WHEN i % 2 = 0 THEN 1 + i % 9 END, CASE WHEN i % 2 = 0 THEN 1 + i % 20 END,
      CASE WHEN i % 2 = 0 THEN 'episode' ELSE 'movie' END,
      (now() at time zone 'utc') - make_interval(secs => i * 30), (now() at time zone 'utc') - make_interval(secs => i * 30 - 1500),
      (now() at time zone 'utc') - make_interval(secs => i * 30 - 1500), i % 60, 1500 - i % 60, 2700, (i % 100)::float8, i % 100 >= 90,
      (ARRAY['directplay','directstream','transcode'])[1 + i % 3], 'Player ' || (i % 7), 'Platform', 'Plex Web', '10.0.' || (i % 250) || '.' || (i % 200),
      i % 2 = 0, 'Library ' || (i % 4), 'poll'::"PlaySource"
    FROM generate_series(1, $1::int) AS i`, [plays]);
  await client.query('ANALYZE "Play"');
  console.log(`seeded ${plays.toLocaleString()} plays in ${((performance.now() - t) / 1000).toFixed(1)} s (one INSERT … SELECT generate_series)`);

  const { db } = await import('../lib/db');
  const user = await db.user.create({ data: { email: 'bench@example.test', name: 'Bench', passwordHash: 'x', role: 'admin' } });
  const token = `mq_${randomBytes(24).toString('base64url')}`;
  await db.apiToken.create({ data: { userId: user.id, name: 'bench', tokenHash: createHash('sha256').update(token).digest('hex'), prefix: token.slice(0, 10) } });

  let proc: ChildProcess | null = null;
  let webUrl = '';
  if (opts.web !== false) {
    if (!existsSync('.next/BUILD_ID')) throw new Error('No production build: run `npx next build` first (the bench measures the real server).');
    const port = await freePort();
    webUrl = `http://127.0.0.1:${port}`;
    proc = spawn(process.execPath, ['--import', 'tsx', 'scripts/web-server.ts'], {
      env: { ...process.env, NODE_ENV: 'production', PORT: String(port), HOST: '127.0.0.1', DATABASE_URL: dbUrl },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const until = Date.now() + 120_000;
    for (;;) {
      try {
        if ((await fetch(`${webUrl}/api/health`)).status < 500) break;
      } catch {
        /* not up yet */
      }
      if (Date.now() > until) throw new Error('web server did not start');
      await new Promise((r) => setTimeout(r, 300));
    }
  }
  const cleanup = async () => {
    proc?.kill('SIGTERM');
    await client.end().catch(() => {});
    const { db } = await import('../lib/db');
    await db.$disconnect().catch(() => {});
    await scratch.drop();
  };
  return { dbUrl, token, pg: client, web: { url: webUrl, proc: proc!, peakRssMb: () => (proc ? peakRssMb(proc.pid!) : NaN) }, cleanup };
}
