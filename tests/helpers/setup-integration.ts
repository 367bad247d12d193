// Runs before each integration test file, before it imports anything: gives the file a private
// database cloned from the migrated template, and the secrets the app would generate.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, inject } from 'vitest';

const adminUrl = inject('dbAdminUrl');
const template = inject('dbTemplate');
const pid = template.split('_')[2];
const name = `marquee_test_${pid}_${randomBytes(5).toString('hex')}`;

const admin = new pg.Client({ connectionString: adminUrl });
await admin.connect();
await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`);
await admin.end();

const url = new URL(adminUrl);
url.pathname = `/${name}`;
process.env.DATABASE_URL = url.toString();
process.env.AUTH_SECRET ??= 'integration-test-auth-secret-0123456789';
process.env.ENCRYPTION_KEY ??= randomBytes(32).toString('base64');
process.env.DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'marquee-test-data-'));
process.env.LOG_LEVEL ??= 'warn';

afterAll(async () => {
  const { stopBoss } = await import('../../lib/jobs/boss');
  await stopBoss().catch(() => {});
  const { db } = await import('../../lib/db');
  await db.$disconnect().catch(() => {});
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).catch(() => {});
  await c.end();
  fs.rmSync(process.env.DATA_DIR!, { recursive: true, force: true });
});
