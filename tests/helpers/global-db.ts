// Integration tests run against a real PostgreSQL: DATABASE_URL when set (the production shape),
// otherwise one embedded PostgreSQL started for the run. Migrations are applied once to a template
// database; every test file then gets its own copy (see setup-integration.ts).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { deployMigrations } from '../../lib/database/migrate';
import { freePort, startEmbeddedPostgres, type EmbeddedDb } from '../../lib/database/embedded';

let embedded: EmbeddedDb | undefined;
let tmpDir: string | undefined;

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

export default async function setup(project: TestProject) {
  let adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'marquee-test-pg-'));
    embedded = await startEmbeddedPostgres({
      databaseDir: path.join(tmpDir, 'db'),
      port: await freePort(),
      password: 'test',
      database: 'postgres',
    });
    adminUrl = embedded.url;
  }
  const template = `marquee_tpl_${process.pid}_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${template}"`);
  await deployMigrations(withDatabase(adminUrl, template));
  // The migrator keeps pooled connections; a template database must have none.
  await admin.query(
    `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`,
    [template],
  );
  project.provide('dbAdminUrl', adminUrl);
  project.provide('dbTemplate', template);

  return async () => {
    const rows = await admin.query(`SELECT datname FROM pg_database WHERE datname LIKE $1`, [`marquee_t%_${process.pid}_%`]);
    for (const { datname } of rows.rows as { datname: string }[]) {
      await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`).catch(() => {});
    }
    await admin.end();
    await embedded?.stop();
    if (tmpDir) fs.rmSync(tmpDir, { recursive: true, force: true });
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    dbAdminUrl: string;
    dbTemplate: string;
  }
}
