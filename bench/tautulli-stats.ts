// `npm run bench:tautulli-stats [plays] [requests]`: latency of the Tautulli API's history, home
// stats and graph commands (GET /api/v2 route handler, in process) at 1M plays (bench/history-setup.ts:
// ~350 days, 3 servers, 500 media users): get_history's first page and a deep page, filtered by a
// user or a date; get_home_stats (every card over 30 days, top_users over 365 days);
// get_plays_by_date and get_plays_by_hourofday over 30 days.
import { setUpHistoryBench } from './history-setup';

const PLAYS = Number(process.argv[2] ?? 1_000_000);
const N = Number(process.argv[3] ?? 10);
const world = await setUpHistoryBench(PLAYS, { web: false });
const { GET } = await import('../app/api/v2/route');

const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.ceil(xs.length * 0.95) - 1]!;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function time(cmd: string, params: Record<string, string>): Promise<number> {
  const q = new URLSearchParams({ apikey: world.token, cmd, ...params });
  const t = performance.now();
  const res = await GET(new Request(`http://localhost/api/v2?${q}`));
  const body = (await res.json()) as { response: { result: string; message: string | null } };
  if (res.status !== 200 || body.response.result !== 'success') throw new Error(`${cmd} → ${res.status} ${body.response.message}`);
  return performance.now() - t;
}

async function run(label: string, cmd: string, params: Record<string, string> = {}) {
  await time(cmd, params);
  const xs: number[] = [];
  for (let i = 0; i < N; i++) xs.push(await time(cmd, params));
  console.log(`  ${label.padEnd(52)} p95 ${p95(xs).toFixed(0).padStart(6)} ms   median ${median(xs).toFixed(0).padStart(6)} ms`);
}

try {
  console.log(`/api/v2 at ${PLAYS.toLocaleString()} plays, ${N} sequential calls per case (after 1 warm-up):`);
  await run('get_history, first page (25)', 'get_history');
  await run(`get_history, deep page (start ${Math.floor(PLAYS / 2).toLocaleString()})`, 'get_history', { start: String(Math.floor(PLAYS / 2)) });
  await run('get_history, user=user7, first page', 'get_history', { user: 'user7' });
  await run('get_history, start_date (yesterday)', 'get_history', { start_date: new Date(Date.now() - 86_400_000).toISOString().slice(0, 10) });
  await run('get_home_stats, every card, 30 days', 'get_home_stats');
  await run('get_home_stats, most_concurrent, 30 days', 'get_home_stats', { stat_id: 'most_concurrent' });
  await run('get_home_stats, top_users, 365 days', 'get_home_stats', { stat_id: 'top_users', time_range: '365' });
  await run('get_plays_by_date, 30 days', 'get_plays_by_date');
  await run('get_plays_by_hourofday, 30 days', 'get_plays_by_hourofday');
} finally {
  await world.cleanup();
}
