// `npm run bench:export [plays]`: 1M plays exported as CSV through the real HTTP route
// (GET /api/history/export on scripts/web-server.ts, production build) beside PostgreSQL's own
// `COPY (SELECT the same columns, same filter, same order) TO STDOUT CSV`. Prints rows/s of both,
// the ratio (goal ≥ 0.33 of COPY) and the web process's peak RSS (goal < 200 MB).
// Needs DATABASE_URL (a PostgreSQL where it may create and drop a scratch database) and `npx next build`.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { setUpHistoryBench } from './history-setup';

const PLAYS = Number(process.argv[2] ?? 1_000_000);
const world = await setUpHistoryBench(PLAYS);
// Imported after the set-up: lib/env reads DATABASE_URL once, and the set-up points it at the scratch database.
const { PLAY_FIELDS } = await import('../lib/history/queries');

/** Rows (CRLF-ended records, header excluded) and bytes of a streamed body. */
async function drain(body: ReadableStream<Uint8Array>): Promise<{ rows: number; bytes: number }> {
  let rows = -1;
  let bytes = 0;
  const reader = body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
    for (let i = 0; i < value.length; i++) if (value[i] === 0x0d) rows++;
  }
  return { rows, bytes };
}

try {
  // Warm-up: the route compiled and its first queries planned.
  await drain((await fetch(`${world.web.url}/api/history/export?format=csv&mediaUser=user1`, { headers: { authorization: `Bearer ${world.token}` } })).body!);

  const rssNow = () => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${world.web.proc.pid}/status`, 'utf8'))?.[1] ?? NaN) / 1024;
  const baseRss = rssNow();
  const hwmBefore = world.web.peakRssMb();
  // VmHWM also counts Next's start-up; the export's own peak is sampled while it runs.
  let exportPeak = baseRss;
  const sampler = setInterval(() => (exportPeak = Math.max(exportPeak, rssNow())), 50);
  const t1 = performance.now();
  const res = await fetch(`${world.web.url}/api/history/export?format=csv`, { headers: { authorization: `Bearer ${world.token}` } });
  if (res.status !== 200) throw new Error(`export answered ${res.status}: ${await res.text()}`);
  const route = await drain(res.body!);
  const routeS = (performance.now() - t1) / 1000;
  clearInterval(sampler);
  const rss = world.web.peakRssMb();

  const columns = PLAY_FIELDS.map((f) => (f === 'source' ? `p."source"::text AS "source"` : `p."${f}"`)).join(', ');
  const copySql = `COPY (SELECT ${columns} FROM "Play" p WHERE TRUE ORDER BY p."startedAt" DESC, p."id" DESC) TO STDOUT WITH (FORMAT csv, HEADER)`;
  const t2 = performance.now();
  const copy = await new Promise<{ rows: number; bytes: number }>((resolve, reject) => {
    const psql = spawn('psql', [world.dbUrl, '-X', '-q', '-c', copySql], { stdio: ['ignore', 'pipe', 'inherit'] });
    let rows = -1;
    let bytes = 0;
    psql.stdout.on('data', (b: Buffer) => {
      bytes += b.length;
      for (let i = 0; i < b.length; i++) if (b[i] === 0x0a) rows++;
    });
    psql.on('exit', (code) => (code === 0 ? resolve({ rows, bytes }) : reject(new Error(`psql exited ${code}`))));
  });
  const copyS = (performance.now() - t2) / 1000;

  const routeRate = route.rows / routeS;
  const copyRate = copy.rows / copyS;
  console.log(`export of ${PLAYS.toLocaleString()} plays as CSV:`);
  console.log(`  GET /api/history/export : ${route.rows.toLocaleString()} rows, ${(route.bytes / 1e6).toFixed(0)} MB in ${routeS.toFixed(2)} s = ${Math.round(routeRate).toLocaleString()} rows/s`);
  console.log(`  COPY … TO STDOUT CSV    : ${copy.rows.toLocaleString()} rows, ${(copy.bytes / 1e6).toFixed(0)} MB in ${copyS.toFixed(2)} s = ${Math.round(copyRate).toLocaleString()} rows/s (psql)`);
  console.log(`  ratio route / COPY      : ${(routeRate / copyRate).toFixed(2)} (goal ≥ 0.33)`);
  console.log(`  web process RSS         : ${baseRss.toFixed(0)} MB before the export (Next.js server, route compiled), peak ${exportPeak.toFixed(0)} MB during it (sampled every 50 ms; goal < 200 MB)`);
  console.log(`  web process VmHWM       : ${hwmBefore.toFixed(0)} MB before the export, ${rss.toFixed(0)} MB after (includes start-up)`);
} finally {
  await world.cleanup();
}
