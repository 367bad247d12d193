// A real worker process for the crash test: the production registerTranscode() wiring on a pg-boss
// instance whose maintenance runs every second (so an expired job is retried quickly).
import PgBoss from 'pg-boss';
import { registerTranscode } from '../../workers/transcode';

const boss = new PgBoss({ connectionString: process.env.DATABASE_URL!, maintenanceIntervalSeconds: 1, max: 4 } as PgBoss.ConstructorOptions);
boss.on('error', (e) => console.error('pg-boss', e));
await boss.start();
await registerTranscode(boss);
console.log('worker ready');
process.on('SIGTERM', () => {
  void boss.stop({ graceful: false, wait: true }).finally(() => process.exit(0));
});
