// The tracker through Marquee's real web server (scripts/web-server.ts): Bearer tokens, CORS and its
// preflight, the 429 limit, token scopes, and concurrent events on separate connections.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { randomBytes } from 'node:crypto';
import { db } from '../../lib/db';
import { hashToken } from '../../lib/auth/session';
import { apiToken, createUser, sessionCookie } from '../helpers/auth';
import { send, startWebServer, type WebServer } from '../helpers/web-server';

const ALLOWED = 'https://queue.example';
const REFUSED = 'https://evil.example';
let server: WebServer;

beforeAll(async () => {
  server = await startWebServer({ TRACKER_ALLOWED_ORIGINS: `${ALLOWED}, https://other.example`, LOG_LEVEL: 'warn' }, { readyPath: '/api/tracker/current' });
}, 300_000);

afterAll(async () => {
  await server?.stop();
});

async function trackerToken(userId: string): Promise<string> {
  const raw = `mq_${randomBytes(24).toString('base64url')}`;
  await db.apiToken.create({ data: { userId, name: 'widget', tokenHash: hashToken(raw), prefix: raw.slice(0, 7), scopes: ['tracker'] } });
  return raw;
}

const T0 = Date.parse('2026-05-04T09:00:00Z');
const at = (s: number) => new Date(T0 + s * 1000).toISOString();

function event(token: string, type: string, timestamp: string | number, headers: Record<string, string> = {}) {
  return send(`${server.url}/api/tracker/events`, { method: 'POST', headers: { authorization: `Bearer ${token}`, ...headers }, body: { type, timestamp } });
}

describe('POST /api/tracker/events over HTTP', () => {
  test('a token drives a session: NEXT, NEXT, PAUSE 30 s, PAUSE, NEXT, UNDO, EXIT; the summary has exact seconds', async () => {
    const user = await createUser({ role: 'viewer' });
    const token = await apiToken(user);
    const script: [number, string][] = [[0, 'NEXT'], [60, 'NEXT'], [90, 'PAUSE'], [120, 'PAUSE'], [180, 'NEXT'], [200, 'UNDO'], [300, 'EXIT']];
    const answers = [];
    for (const [s, type] of script) {
      const r = await event(token, type, at(s));
      expect(r.status, r.body).toBe(200);
      answers.push(r.json<{ sessionId: string; items: number; lastItemS: number; lastItemMmss: string }>());
    }
    expect(answers.map((a) => a.items)).toEqual([0, 1, 1, 1, 2, 1, 2]);
    expect(answers.at(-1)).toMatchObject({ items: 2, lastItemS: 210, lastItemMmss: '03:30' });
    const summary = await send(`${server.url}/api/tracker/sessions/${answers[0]!.sessionId}`, { headers: { authorization: `Bearer ${token}` } });
    expect(summary.status).toBe(200);
    const body = summary.json<{ items: { index: number; rawS: number; activeS: number }[]; totalActiveS: number; avgActiveS: number; targetS: number }>();
    expect(body.items.map((i) => [i.index, i.rawS, i.activeS])).toEqual([
      [1, 60, 60],
      [2, 240, 210],
    ]);
    expect(body).toMatchObject({ totalActiveS: 270, avgActiveS: 135, targetS: 330 });
  });

  test('PAUSE with no open session → 400 no_active_session; duplicates and out-of-order; future timestamps', async () => {
    const user = await createUser({ role: 'viewer' });
    const token = await apiToken(user);
    const pause = await event(token, 'PAUSE', at(0));
    expect(pause.status).toBe(400);
    expect(pause.json<{ error: { code: string } }>().error.code).toBe('no_active_session');

    expect((await event(token, 'NEXT', at(0))).status).toBe(200);
    const first = await event(token, 'NEXT', at(45));
    const again = await event(token, 'NEXT', at(45));
    expect(again.status).toBe(200);
    expect(again.json()).toEqual(first.json());
    const old = await event(token, 'PAUSE', at(30));
    expect(old.status).toBe(409);
    expect(old.json<{ error: { code: string } }>().error.code).toBe('out_of_order');
    const future = await event(token, 'PAUSE', Date.now() + 6 * 60_000);
    expect(future.status).toBe(400);
    expect((await db.trackerItem.count({ where: { userId: user.id } }))).toBe(1);
  });

  test('a session cookie works from our own origin and is refused from another site (CSRF)', async () => {
    const user = await createUser({ role: 'viewer' });
    const cookie = await sessionCookie(user);
    const same = await send(`${server.url}/api/tracker/events`, { method: 'POST', headers: { cookie, origin: server.url }, body: { type: 'NEXT', timestamp: at(0) } });
    expect(same.status).toBe(200);
    const cross = await send(`${server.url}/api/tracker/events`, { method: 'POST', headers: { cookie, origin: ALLOWED }, body: { type: 'NEXT', timestamp: at(10) } });
    expect(cross.status).toBe(403);
    expect(cross.json<{ error: { code: string } }>().error.code).toBe('csrf_failed');
  });
});

describe('CORS on the events endpoint', () => {
  test('preflight from an allowed origin → 204 with CORS headers, never credentials', async () => {
    const r = await send(`${server.url}/api/tracker/events`, {
      method: 'OPTIONS',
      headers: { origin: ALLOWED, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' },
    });
    expect(r.status).toBe(204);
    expect(r.headers['access-control-allow-origin']).toBe(ALLOWED);
    expect(String(r.headers['access-control-allow-methods'])).toContain('POST');
    expect(String(r.headers['access-control-allow-headers']).toLowerCase()).toContain('authorization');
    expect(r.headers['access-control-allow-credentials']).toBeUndefined();
  });

  test('preflight from a refused origin gets no CORS headers', async () => {
    const r = await send(`${server.url}/api/tracker/events`, { method: 'OPTIONS', headers: { origin: REFUSED, 'access-control-request-method': 'POST' } });
    expect(r.status).toBe(403);
    expect(r.headers['access-control-allow-origin']).toBeUndefined();
  });

  test('a cross-origin Bearer POST from an allowed origin works and is readable; a refused origin gets no CORS headers', async () => {
    const user = await createUser({ role: 'viewer' });
    const token = await trackerToken(user.id);
    const ok = await event(token, 'NEXT', at(0), { origin: ALLOWED });
    expect(ok.status).toBe(200);
    expect(ok.headers['access-control-allow-origin']).toBe(ALLOWED);
    expect(ok.headers['access-control-allow-credentials']).toBeUndefined();
    // Errors carry the header too, so the widget can show the reason.
    const err = await event(token, 'BOGUS', at(1), { origin: ALLOWED });
    expect(err.status).toBe(422);
    expect(err.headers['access-control-allow-origin']).toBe(ALLOWED);
    const refused = await event(token, 'NEXT', at(2), { origin: REFUSED });
    expect(refused.headers['access-control-allow-origin']).toBeUndefined();
    // Other endpoints never answer with CORS headers.
    const other = await send(`${server.url}/api/tracker/sessions`, { headers: { authorization: `Bearer ${await apiToken(user)}`, origin: ALLOWED } });
    expect(other.status).toBe(200);
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('token scopes', () => {
  test('a tracker-only token sends events but cannot call GET /api/servers or other tracker reads', async () => {
    const admin = await createUser({ role: 'admin' });
    const token = await trackerToken(admin.id);
    expect((await event(token, 'NEXT', at(0))).status).toBe(200);
    expect((await send(`${server.url}/api/tracker/current`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    const servers = await send(`${server.url}/api/servers`, { headers: { authorization: `Bearer ${token}` } });
    expect(servers.status).toBe(403);
    expect(servers.json<{ error: { code: string } }>().error.code).toBe('insufficient_scope');
    const tokens = await send(`${server.url}/api/tokens`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: { name: 'escalate' } });
    expect(tokens.status).toBe(403);
    expect((await send(`${server.url}/api/tracker/sessions`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(403);
    // The same admin's full token may.
    const full = await send(`${server.url}/api/servers`, { headers: { authorization: `Bearer ${await apiToken(admin)}` } });
    expect(full.status).toBe(200);
  });
});

describe('rate limit', () => {
  test('the 61st event within a minute → 429 with Retry-After', async () => {
    const user = await createUser({ role: 'viewer' });
    const token = await apiToken(user);
    for (let i = 0; i < 60; i++) {
      const r = await event(token, 'NEXT', at(i * 10));
      expect(r.status, `event ${i + 1}: ${r.body}`).toBe(200);
    }
    const limited = await event(token, 'NEXT', at(600));
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect(limited.json<{ error: { code: string } }>().error.code).toBe('rate_limited');
    // Another user is not affected.
    const other = await createUser({ role: 'viewer' });
    expect((await event(await apiToken(other), 'NEXT', at(0))).status).toBe(200);
  }, 120_000);
});

describe('concurrency', () => {
  test('concurrent NEXTs on separate connections leave one consistent session', async () => {
    const user = await createUser({ role: 'viewer' });
    const token = await apiToken(user);
    const start = await event(token, 'NEXT', at(0));
    const sessionId = start.json<{ sessionId: string }>().sessionId;
    // Two tabs pressing at once (distinct times), plus the same press delivered twice (a retry).
    const replies = await Promise.all([
      ...Array.from({ length: 8 }, (_, i) => event(token, 'NEXT', at(10 + i * 10))),
      event(token, 'NEXT', at(200)),
      event(token, 'NEXT', at(200)),
    ]);
    for (const r of replies) expect([200, 409], r.body).toContain(r.status);
    const items = await db.trackerItem.findMany({ where: { sessionId }, orderBy: { index: 'asc' } });
    expect(await db.trackerSession.count({ where: { userId: user.id } })).toBe(1);
    expect(items.map((i) => i.index)).toEqual(items.map((_, k) => k + 1));
    for (let k = 1; k < items.length; k++) expect(items[k]!.startedAt.getTime()).toBe(items[k - 1]!.endedAt.getTime());
    expect(items[0]!.startedAt.toISOString()).toBe(at(0));
    expect(items.reduce((a, i) => a + i.rawMs, 0)).toBe(items.at(-1)!.endedAt.getTime() - T0);
    // Exactly one item per distinct accepted press: the duplicate at 200 s counts once.
    const accepted = new Set(replies.map((r, i) => (r.status === 200 ? (i >= 8 ? 200 : 10 + i * 10) : null)).filter((x) => x !== null));
    expect(items).toHaveLength(accepted.size);
    const session = await db.trackerSession.findUniqueOrThrow({ where: { id: sessionId } });
    expect(session.currentStartedAt!.getTime()).toBe(items.at(-1)!.endedAt.getTime());
  });
});
