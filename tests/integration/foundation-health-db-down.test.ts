// A database that stops answering makes /api/health answer 503 naming `db`.
import { afterAll, expect, test } from 'vitest';
import pg from 'pg';

test('GET /api/health → 503 naming db when the database is unreachable', async () => {
  const url = new URL(process.env.DATABASE_URL!);
  const dbName = url.pathname.slice(1);
  const { GET } = await import('../../app/api/health/route');
  expect((await GET()).status).toBe(200);

  // Kill the database out from under the app: drop it (forcing its connections closed).
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const c = new pg.Client({ connectionString: admin.toString() });
  await c.connect();
  await c.query(`DROP DATABASE "${dbName}" WITH (FORCE)`);
  await c.end();

  const res = await GET();
  expect(res.status).toBe(503);
  const body = await res.json();
  expect(body).toMatchObject({ status: 'error', db: 'down', failing: ['db'] });
  expect(body.error).toMatch(/database unreachable/);
});

afterAll(async () => {
  const { db } = await import('../../lib/db');
  await db.$disconnect().catch(() => {});
});
