// A database that stops answering makes /api/health answer 503 naming `db` — and only that: the
// endpoint is public, so the driver's error (host, database, role names) goes to the server log.
import { afterAll, expect, test, vi } from 'vitest';
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

  const logged: string[] = [];
  const spy = vi.spyOn(console, 'error').mockImplementation((l: string) => void logged.push(String(l)));
  const res = await GET();
  spy.mockRestore();
  expect(res.status).toBe(503);
  const text = await res.text();
  expect(JSON.parse(text)).toEqual({
    status: 'error',
    db: 'down',
    worker: { status: 'unknown', lastHeartbeat: null, workers: 0 },
    version: expect.any(String),
    failing: ['db'],
  });
  expect(text).not.toContain(dbName);
  expect(text).not.toMatch(/unreachable|does not exist|ECONNREFUSED/);
  // The detail is in the server's log instead.
  expect(logged.join('\n')).toMatch(/database unreachable/);
  expect(logged.join('\n')).toContain(dbName);
});

afterAll(async () => {
  const { db } = await import('../../lib/db');
  await db.$disconnect().catch(() => {});
});
