// `npm run bench:import [rows]`: Tautulli import rate from the fake Tautulli (real HTTP, pages of
// get_history) into a scratch database, through the same function the worker's job runs. Goal ≥ 5,000 rows/s.
import { FakeTautulli } from '../tests/fakes/tautulli';
import { setUpHistoryBench } from './history-setup';

const ROWS = Number(process.argv[2] ?? 100_000);
const world = await setUpHistoryBench(0, { web: false });
const tautulli = new FakeTautulli({ rowCount: ROWS });
await tautulli.listen();
try {
  const { db } = await import('../lib/db');
  const { runTautulliImport, saveTautulliConnection } = await import('../lib/history/import');
  const { systemActor } = await import('../lib/auth/actor');
  await saveTautulliConnection(systemActor('bench'), { url: tautulli.url, apiKey: tautulli.apiKey });
  const first = await db.historyImport.create({ data: { url: tautulli.url } });
  const t = performance.now();
  const done = await runTautulliImport(first.id);
  const s = (performance.now() - t) / 1000;
  const again = await db.historyImport.create({ data: { url: tautulli.url } });
  const t2 = performance.now();
  const second = await runTautulliImport(again.id);
  const s2 = (performance.now() - t2) / 1000;
  console.log(`Tautulli import of ${ROWS.toLocaleString()} rows (fake Tautulli over HTTP, pages of ${tautulli.historyCalls[0]?.length ?? '?'}):`);
  console.log(`  first run : ${done?.imported.toLocaleString()} imported in ${s.toFixed(2)} s = ${Math.round(ROWS / s).toLocaleString()} rows/s (goal ≥ 5,000)`);
  console.log(`  second run: ${second?.imported} imported, ${second?.skipped.toLocaleString()} skipped in ${s2.toFixed(2)} s = ${Math.round(ROWS / s2).toLocaleString()} rows/s`);
  console.log(`  plays in the database: ${(await db.play.count()).toLocaleString()}`);
} finally {
  await tautulli.close();
  await world.cleanup();
}
