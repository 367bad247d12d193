// npm run analytics:rebuild: recomputes every analytics rollup from the plays (after a large import,
// a restore, or any doubt). Safe beside running web processes and workers: reports keep reading the
// old rollups until the rebuild commits, and a refresh that runs meanwhile waits its turn.
import { rebuildRollups, rollupStatus } from '../lib/analytics/rollups';
import { db } from '../lib/db';

async function main() {
  const r = await rebuildRollups();
  if (r.skipped) {
    console.error('Another rollup refresh or rebuild is running; try again when it is done.');
    process.exitCode = 1;
  } else {
    console.log(`analytics rollups rebuilt in ${(r.ms / 1000).toFixed(1)} s: ${r.hours} hours, ${r.days} days, ${r.months} months, up to ${r.watermark}`);
    console.log(JSON.stringify(await rollupStatus()));
  }
  await db.$disconnect();
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
