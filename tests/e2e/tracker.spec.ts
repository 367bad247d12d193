// The tracker widget end to end: the served userscript runs on another site's page (its GM_* API
// provided the way a userscript manager does, requests made outside the page), the shortcuts drive a
// session — including presses queued while the network is down — and /tracker shows the result.
import { test, expect, type Page } from '@playwright/test';
import { signIn } from './helpers';

const QUEUE_PAGE = 'https://queue.example/work';

/** A userscript manager in miniature: GM storage, and GM_xmlhttpRequest run by Node (no CORS, like the extension). */
async function installUserscript(page: Page, script: string, token: string, network: { down: boolean }) {
  await page.exposeFunction('__gmRequest', async (o: { method: string; url: string; headers: Record<string, string>; data?: string }) => {
    if (network.down) return { error: 'network down' };
    const res = await fetch(o.url, { method: o.method, headers: o.headers, body: o.data });
    const headers = [...res.headers.entries()].map(([k, v]) => `${k}: ${v}`).join('\r\n');
    return { status: res.status, responseText: await res.text(), responseHeaders: headers };
  });
  const shim = `
    (function () {
      var store = { token: ${JSON.stringify(token)} };
      window.GM_getValue = function (k, d) { return k in store ? JSON.parse(JSON.stringify(store[k])) : d; };
      window.GM_setValue = function (k, v) { store[k] = v; };
      window.GM_registerMenuCommand = function () {};
      window.GM_xmlhttpRequest = function (o) {
        window.__gmRequest({ method: o.method, url: o.url, headers: o.headers, data: o.data }).then(function (r) {
          if (r.error) o.onerror(new Error(r.error)); else o.onload(r);
        }, function (e) { o.onerror(e); });
      };
    })();
    document.addEventListener('DOMContentLoaded', function () {
${script}
    });`;
  await page.addInitScript({ content: shim });
  await page.route('https://queue.example/**', (route) =>
    route.fulfill({ contentType: 'text/html', body: '<!doctype html><html><head><title>Review queue</title></head><body><h1>Review queue</h1><p>Item 1 of many</p></body></html>' }),
  );
}

test('the served userscript tracks N/P/U/X presses on another site, queues them offline, and /tracker shows the items', async ({ page, context }) => {
  await signIn(page);
  await page.goto('/tracker');
  await expect(page.getByText('No sessions yet')).toBeVisible();

  // The page helps create a narrow token for the widget.
  await page.getByRole('button', { name: 'Create a tracker-only token' }).click();
  const token = (await page.getByTestId('tracker-token').locator('code').textContent())!.trim();
  expect(token).toMatch(/^mq_/);
  await expect(page.getByTestId('bookmarklet')).toHaveAttribute('href', /^javascript:/);
  // The widget token can do nothing else.
  const servers = await page.request.get('/api/servers', { headers: { authorization: `Bearer ${token}` } });
  expect(servers.status()).toBe(403);

  const res = await page.request.get('/tracker/widget.user.js');
  expect(res.status()).toBe(200);
  const script = await res.text();
  expect(script).toContain('// ==UserScript==');
  expect(script).toMatch(/@connect\s+localhost/);

  const network = { down: false };
  const work = await context.newPage();
  await installUserscript(work, script, token, network);
  await work.goto(QUEUE_PAGE);
  const overlay = work.locator('[data-marquee-tracker]');
  await expect(overlay).toBeVisible();
  const items = overlay.locator('[data-items]');
  const timer = overlay.locator('[data-timer]');
  await expect(timer).toHaveText('--:--');
  const press = async (key: string) => {
    await work.keyboard.press(key);
  };

  await press('n'); // starts the session
  await expect(timer).toHaveText(/^\d\d:\d\d$/, { timeout: 15_000 });
  await work.waitForTimeout(1500);
  await press('n'); // item 1
  await expect(items).toHaveAttribute('data-items', '1');

  // Offline: a pause and a resume are queued, then sent in order once the network is back.
  network.down = true;
  await work.waitForTimeout(500);
  await press('p');
  await expect(overlay).toContainText('queued');
  await work.waitForTimeout(1000);
  await press('p');
  await expect(overlay).toContainText('2 queued');
  network.down = false;
  await expect(overlay).not.toContainText('queued', { timeout: 20_000 });
  await expect(items).toHaveAttribute('data-items', '1');

  await work.waitForTimeout(1000);
  await press('n'); // item 2
  await expect(items).toHaveAttribute('data-items', '2');
  await press('u'); // undo item 2: it is running again
  await expect(items).toHaveAttribute('data-items', '1');
  await work.waitForTimeout(1200);
  await press('x'); // item 2 closes for good, the session ends
  await expect(items).toHaveAttribute('data-items', '2');
  await expect(timer).toHaveText('--:--');
  // Typing in a field is not a shortcut.
  await work.evaluate(() => {
    const input = document.createElement('input');
    input.id = 'notes';
    document.body.appendChild(input);
  });
  await work.locator('#notes').fill('n p u x');
  await expect(items).toHaveAttribute('data-items', '2');

  // Back in Marquee: the session and its items.
  await page.goto('/tracker');
  const list = page.getByTestId('session-list');
  await expect(list.locator('tbody tr')).toHaveCount(1);
  await expect(list.locator('tbody tr').first().locator('td').nth(1)).toHaveText('2');
  await expect(page.getByTestId('pace-stats')).toContainText('Items2');
  await expect(page.getByTestId('hourly-chart')).toBeVisible();
  await list.getByRole('link').first().click();
  const rows = page.getByTestId('item-table').locator('tbody tr');
  await expect(rows).toHaveCount(2);
  // Item 2 ran, was taken back by UNDO and ran on until EXIT; its paused second is not active time.
  const summary = await page.request.get(`/api/tracker/sessions/${page.url().split('/').pop()}`);
  const body = (await summary.json()) as { items: { rawS: number; activeS: number; pausedS: number }[] };
  expect(body.items).toHaveLength(2);
  expect(body.items[0]!.rawS).toBeGreaterThanOrEqual(1.5);
  expect(body.items[0]!.pausedS).toBe(0);
  expect(body.items[1]!.pausedS).toBeGreaterThanOrEqual(1);
  expect(body.items[1]!.activeS).toBeCloseTo(body.items[1]!.rawS - body.items[1]!.pausedS, 3);
  expect(body.items[1]!.rawS).toBeGreaterThanOrEqual(3.7);

  // Delete an item from the session page.
  page.once('dialog', (d) => d.accept());
  await page.getByRole('button', { name: 'Delete item 1' }).click();
  await expect(rows).toHaveCount(1);
});

test('the /tracker page itself starts and stops a session with its buttons and keys', async ({ page }) => {
  await signIn(page);
  await page.goto('/tracker');
  const live = page.getByTestId('live-session');
  await live.getByRole('button', { name: /^Next/ }).click();
  await expect(live).toContainText('0 items done');
  await page.waitForTimeout(1100);
  await page.keyboard.press('n');
  await expect(live).toContainText('1 item done');
  await page.keyboard.press('x');
  await expect(live).toContainText('No session open');
});
