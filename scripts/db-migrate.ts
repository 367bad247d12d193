// npm run db:migrate (apply pending migrations to DATABASE_URL)
// npm run db:migrate:create -- <name> (write a migration from the schema change)
import { createMigration, deployMigrations, pendingSchemaSql } from '../lib/database/migrate';

const [cmd, name] = process.argv.slice(2);
try {
  if (cmd === 'create') {
    if (!name) throw new Error('usage: npm run db:migrate:create -- <name>');
    const folder = await createMigration(name);
    console.log(folder ? `created prisma/migrations/${folder}` : 'schema unchanged: no migration written');
  } else if (cmd === 'check') {
    const sql = await pendingSchemaSql();
    if (sql) {
      console.error(`The schema has changes no migration covers:\n${sql}\nRun: npm run db:migrate:create -- <name>`);
      process.exit(1);
    }
    console.log('migrations cover the schema');
  } else if (cmd === 'deploy') {
    const url = process.env.DATABASE_URL;
    if (!url) throw new Error('DATABASE_URL is not set');
    const applied = await deployMigrations(url);
    console.log(applied.length ? `applied ${applied.join(', ')}` : 'database is up to date');
  } else {
    throw new Error('usage: db-migrate.ts create <name> | deploy | check');
  }
  process.exit(0);
} catch (err) {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
}
