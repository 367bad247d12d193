// Acceptance 3 of Analytics: /analytics shows seeded plays in its cards, charts and top lists; the
// range and the server are switched through the URL; a top-user row opens that user's history.
// The dashboard's "last 7 days" strip shows the same plays.
//
// Plays are seeded straight into the e2e database (the poll/webhook paths that write them are tested
// elsewhere; only direct rows can sit 20 days in the past). Two servers are added through the API
// against fake Jellyfins so the server picker has something to switch to. Every name is unique to
// this spec: the e2e database is shared by the run, so "all servers" numbers are checked against a
// baseline taken before seeding.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { test, expect, type APIRequestContext } from '@playwright/test';
import { FakeJellyfin } from '../fakes';
import { signIn } from './helpers';

const port = Number(process.env.E2E_PORT ?? 3100);
const dataDir = path.join(os.tmpdir(), `marquee-e2e-${port}`);
const fakeA = new FakeJellyfin('e2e-analytics-a');
const fakeB = new FakeJellyfin('e2e-analytics-b');

test.beforeAll(async () => {
  await fakeA.listen();
  await fakeB.listen();
});
test.afterAll(async () => {
  await fakeA.close();
  await fakeB.close();
});

/** The e2e server's embedded PostgreSQL, as the launcher logged it into DATA_DIR. */
async function database(): Promise<pg.Client> {
  const { dbPassword } = JSON.parse(fs.readFileSync(path.join(dataDir, 'secrets.json'), 'utf8')) as { dbPassword: string };
  const pgPort = port + 51_000 > 65_000 ? 54_400 : port + 51_000;
  const client = new pg.Client({ host: '127.0.0.1', port: pgPort, user: 'postgres', password: dbPassword, database: 'marquee' });
  await client.connect();
  return client;
}

interface SeedPlay {
  serverId: string;
  serverName: string;
  mediaUser: string;
  title: string;
  grandparentTitle?: string;
  mediaType: 'movie' | 'episode';
  daysAgo: number;
  watchedS: number;
  decision: 'directplay' | 'directstream' | 'transcode';
  completed: boolean;
  library: string;
}

async function seed(client: pg.Client, plays: SeedPlay[]) {
  const now = Date.now();
  for (const p of plays) {
    // Noon UTC of the day, so the play sits well inside every range whatever the hour the spec runs.
    const day = new Date(now - p.daysAgo * 86_400_000);
    const started = new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate(), 12, 0, 0));
    if (started.getTime() > now - 3_600_000) started.setTime(now - 3_600_000);
    const stopped = new Date(started.getTime() + p.watchedS * 1000);
    await client.query(
      `INSERT INTO "Play" ("id", "serverId", "serverName", "mediaUser", "mediaUserId", "title", "grandparentTitle", "mediaType", "startedAt", "stoppedAt", "lastSeenAt",
         "watchedS", "durationS", "progressPct", "completed", "decision", "player", "platform", "product", "library", "source", "detail")
       VALUES ($1, $2, $3, $4, $4, $5, $6, $7, $8, $9, $9, $10, $11, $12, $13, $14, 'Living Room TV', 'Android', 'Jellyfin Android TV', $15, 'import', '{}')`,
      [randomUUID(), p.serverId, p.serverName, p.mediaUser, p.title, p.grandparentTitle ?? null, p.mediaType, started, stopped, p.watchedS, p.watchedS + 600,
        p.completed ? 95 : 40, p.completed, p.decision, p.library],
    );
  }
}

async function summary(request: APIRequestContext, query: string) {
  const res = await request.get(`/api/analytics?${query}`);
  expect(res.status()).toBe(200);
  return ((await res.json()) as { summary: { plays: number; activeUsers: number } }).summary;
}

test('analytics shows seeded plays, switches range and server in the URL, and a top user opens their history', async ({ page }) => {
  test.setTimeout(180_000);
  await signIn(page);
  const a = await page.request.post('/api/servers', { data: { type: 'jellyfin', name: 'Analytics A', url: fakeA.url, token: fakeA.token, pollIntervalS: 30 } });
  expect(a.status()).toBe(201);
  const b = await page.request.post('/api/servers', { data: { type: 'jellyfin', name: 'Analytics B', url: fakeB.url, token: fakeB.token, pollIntervalS: 30 } });
  expect(b.status()).toBe(201);
  const A = { serverId: ((await a.json()) as { id: string }).id, serverName: 'Analytics A' };
  const B = { serverId: ((await b.json()) as { id: string }).id, serverName: 'Analytics B' };

  const base7 = await summary(page.request, 'range=7d');
  const base30 = await summary(page.request, 'range=30d');

  const client = await database();
  try {
    const common = { decision: 'directplay' as const, completed: true, library: 'Analytics Films' };
    await seed(client, [
      // Last 7 days, server A: ana 3 plays (2 movies, 1 episode), ben 1 (transcoded, unfinished).
      { ...A, ...common, mediaUser: 'ana-analytics', title: 'Arrival Analytics', mediaType: 'movie', daysAgo: 1, watchedS: 7200 },
      { ...A, ...common, mediaUser: 'ana-analytics', title: 'Arrival Analytics', mediaType: 'movie', daysAgo: 2, watchedS: 3600 },
      { ...A, ...common, mediaUser: 'ana-analytics', title: 'Pilot', grandparentTitle: 'Severance Analytics', mediaType: 'episode', daysAgo: 2, watchedS: 3000, library: 'Analytics Shows' },
      { ...A, ...common, mediaUser: 'ben-analytics', title: 'Dune Analytics', mediaType: 'movie', daysAgo: 3, watchedS: 1800, decision: 'transcode', completed: false },
      // Server B, last 7 days: cleo 1 play.
      { ...B, ...common, mediaUser: 'cleo-analytics', title: 'Dune Analytics', mediaType: 'movie', daysAgo: 1, watchedS: 5400 },
      // 20 days ago (only in 30 days), server A: dov 2 plays.
      { ...A, ...common, mediaUser: 'dov-analytics', title: 'Heat Analytics', mediaType: 'movie', daysAgo: 20, watchedS: 6000 },
      { ...A, ...common, mediaUser: 'dov-analytics', title: 'Heat Analytics', mediaType: 'movie', daysAgo: 21, watchedS: 6000 },
      // 10 days ago, server B: ten more users, one play each, so the 30-day users list has more than 10 rows.
      ...Array.from({ length: 10 }, (_, i) => ({ ...B, ...common, mediaUser: `u${String(i + 1).padStart(2, '0')}-analytics`, title: 'Heat Analytics', mediaType: 'movie' as const, daysAgo: 10, watchedS: 600 })),
    ]);
  } finally {
    await client.end();
  }

  // A custom range with no plays: the URL carries it, and the empty state points to history.
  await page.goto('/analytics');
  await page.getByRole('button', { name: 'Custom' }).click();
  await page.getByLabel('From').fill('2001-01-01');
  await page.getByLabel('To', { exact: true }).fill('2001-01-31');
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page).toHaveURL(/\/analytics\?from=2001-01-01&to=2001-01-31$/);
  await expect(page.getByRole('heading', { name: 'No plays in this range' })).toBeVisible();
  await expect(page.getByTestId('empty-state').getByRole('link', { name: 'History' })).toHaveAttribute('href', '/history');
  await expect(page.getByTestId('analytics-range')).toContainText('Jan 1, 2001 – Jan 31, 2001');

  await page.getByRole('button', { name: '7 d' }).click();
  await expect(page).toHaveURL(/\/analytics$/);
  const plays = page.getByTestId('summary-plays').locator('p').nth(1);
  const activeUsers = page.getByTestId('summary-active-users').locator('p').nth(1);
  await expect(plays).toHaveText(String(base7.plays + 5));
  await expect(activeUsers).toHaveText(String(base7.activeUsers + 3));
  await expect(page.getByTestId('summary-watch-time')).toContainText(/\d+ h \d+ m/);
  const users = page.getByRole('table', { name: 'Users' });
  await expect(users.getByRole('row', { name: /ana-analytics/ }).getByRole('cell').nth(2)).toHaveText('3');
  await expect(users).toContainText('cleo-analytics');
  await expect(users).not.toContainText('dov-analytics');
  await expect(page.getByRole('figure', { name: /Plays per day/ })).toBeVisible();
  await expect(page.getByRole('figure', { name: 'Plays by hour of day and day of week' })).toBeVisible();
  await expect(page.getByTestId('analytics-range')).toContainText('times in UTC');

  // The range: the URL changes, the numbers too.
  await page.getByRole('button', { name: '30 d' }).click();
  await expect(page).toHaveURL(/\/analytics\?range=30d$/);
  await expect(plays).toHaveText(String(base30.plays + 17));
  await expect(users).toContainText('dov-analytics');

  // One top list expands to its top 100 (a second request with limit=100), and collapses again.
  const userRows = users.locator('tbody tr');
  await expect(userRows).toHaveCount(10);
  await page.getByRole('button', { name: 'Show top 100 users' }).click();
  await expect(page.getByRole('button', { name: 'Show top 10 users' })).toHaveAttribute('aria-expanded', 'true');
  for (const name of ['ana-analytics', 'ben-analytics', 'cleo-analytics', 'dov-analytics', ...Array.from({ length: 10 }, (_, i) => `u${String(i + 1).padStart(2, '0')}-analytics`)]) {
    await expect(users.getByRole('link', { name, exact: true })).toBeVisible();
  }
  await page.getByRole('button', { name: 'Show top 10 users' }).click();
  await expect(userRows).toHaveCount(10);

  // The server: only server A's plays and users remain.
  await page.getByLabel('Server').selectOption({ label: 'Analytics A' });
  await expect(page).toHaveURL(new RegExp(`range=30d&serverId=${A.serverId}$`));
  await expect(plays).toHaveText('6');
  await expect(activeUsers).toHaveText('3');
  await expect(users).not.toContainText('cleo-analytics');

  // A shared URL opens the same view.
  await page.reload();
  await expect(plays).toHaveText('6');
  await expect(page.getByRole('button', { name: '30 d' })).toHaveAttribute('aria-pressed', 'true');

  // A day of plays per day opens that day's history (the chart's bars and, for the keyboard, its table).
  const yesterday = new Date(Date.now() - 86_400_000);
  const label = new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric', year: 'numeric', timeZone: 'UTC' }).format(yesterday);
  await page.getByText('Plays per day as a table').click();
  await page.getByTestId('plays-per-day-table').getByRole('link', { name: label }).click();
  const day = yesterday.toISOString().slice(0, 10);
  await expect(page).toHaveURL(new RegExp(`/history\\?from=${day}T00%3A00%3A00.000Z&to=${day}T23%3A59%3A59.999Z&serverId=`));
  const table = page.getByTestId('history-table');
  await expect(table.locator('tbody tr')).toHaveCount(1);
  await expect(table).toContainText('Arrival Analytics');
  await page.goBack();
  await expect(plays).toHaveText('6');

  // A top user opens their history over the same range and server.
  await users.getByRole('link', { name: 'ana-analytics' }).click();
  await expect(page).toHaveURL(/\/history\?mediaUser=ana-analytics&from=.*&serverId=/);
  await expect(table.locator('tbody tr')).toHaveCount(3);
  await expect(table).toContainText('Arrival Analytics');
  await expect(table).not.toContainText('Dune Analytics');
  await expect(table).not.toContainText('ben-analytics');

  // Back on analytics, the dashboard strip shows the last 7 days too.
  await page.goto('/');
  const strip = page.getByTestId('last-7-days');
  await expect(strip).toBeVisible();
  await expect(page.getByTestId('last-7-days-plays')).toHaveText(String(base7.plays + 5));
  await expect(page.getByTestId('last-7-days-users')).toContainText('ana-analytics');
  await expect(page.getByTestId('last-7-days-items')).toContainText('Arrival Analytics');
  await strip.getByRole('link', { name: 'Open analytics →' }).click();
  await expect(page).toHaveURL(/\/analytics$/);
});
