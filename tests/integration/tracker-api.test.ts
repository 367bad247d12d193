// Tracker summaries, edits (audited), the day view in the account's timezone and the CSV export,
// through the route handlers against a real PostgreSQL.
import { randomBytes } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { db } from '../../lib/db';
import { POST as postEvent } from '../../app/api/tracker/events/route';
import { GET as getCurrent } from '../../app/api/tracker/current/route';
import { GET as listSessions } from '../../app/api/tracker/sessions/route';
import { GET as getSession, PATCH as patchSession, DELETE as deleteSession } from '../../app/api/tracker/sessions/[id]/route';
import { DELETE as deleteItem } from '../../app/api/tracker/sessions/[id]/items/[index]/route';
import { GET as getDay } from '../../app/api/tracker/days/[date]/route';
import { GET as exportCsv } from '../../app/api/tracker/export/route';
import { GET as userscript } from '../../app/(console)/tracker/widget.user.js/route';
import { GET as getSettings, PUT as putSettings } from '../../app/api/tracker/settings/route';
import { GET as listServers } from '../../app/api/servers/route';
import { GET as listTokens, POST as createToken } from '../../app/api/tokens/route';
import { DELETE as deleteUserRoute } from '../../app/api/users/[id]/route';
import { hashToken } from '../../lib/auth/session';
import { authHeaders, createUser, req, type TestUser } from '../helpers/auth';

const noCtx = { params: Promise.resolve({}) } as never;
const ctx = <T extends Record<string, string>>(p: T) => ({ params: Promise.resolve(p) });

async function press(user: TestUser, type: string, iso: string) {
  const res = await postEvent(req('/api/tracker/events', { method: 'POST', headers: await authHeaders(user, { 'content-type': 'application/json' }), body: JSON.stringify({ type, timestamp: iso }) }), noCtx);
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as { sessionId: string; items: number };
}

/** Presses NEXT at each time (seconds after t0), then EXIT at the last one. */
async function session(user: TestUser, t0: string, marks: number[]) {
  const base = Date.parse(t0);
  const iso = (s: number) => new Date(base + s * 1000).toISOString();
  const first = await press(user, 'NEXT', iso(0));
  for (const s of marks.slice(0, -1)) await press(user, 'NEXT', iso(s));
  await press(user, 'EXIT', iso(marks.at(-1)!));
  return first.sessionId;
}

describe('tracker sessions', () => {
  test('GET /api/tracker/sessions/{id}: items, totals, average, pace vs the 5.5 min default, ghost left out', async () => {
    const user = await createUser();
    // Items of 300 s, 0.5 s (a double press: ghost) and 360 s.
    const id = await session(user, '2026-05-04T09:00:00Z', [300, 300.5, 660.5]);
    const res = await getSession(req(`/api/tracker/sessions/${id}`, { headers: await authHeaders(user) }), ctx({ id }));
    expect(res.status).toBe(200);
    const s = await res.json();
    expect(s.items.map((i: { index: number; rawS: number; activeS: number; ghost: boolean }) => [i.index, i.rawS, i.activeS, i.ghost])).toEqual([
      [1, 300, 300, false],
      [2, 0.5, 0.5, true],
      [3, 360, 360, false],
    ]);
    expect(s).toMatchObject({ itemCount: 2, ghosts: 1, totalActiveS: 660, avgActiveS: 330, targetS: 330, paceScore: 100, totalActiveHhmmss: '00:11:00', avgActiveMmss: '05:30', targetMmss: '05:30', open: false });
  });

  test('PATCH the target (audited) changes the pace; someone else’s session is 404', async () => {
    const user = await createUser();
    const id = await session(user, '2026-05-04T09:00:00Z', [300, 600]);
    const res = await patchSession(req(`/api/tracker/sessions/${id}`, { method: 'PATCH', headers: await authHeaders(user), body: JSON.stringify({ targetS: 600 }) }), ctx({ id }));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ targetS: 600, avgActiveS: 300, paceScore: 200 });
    expect(await db.auditLog.count({ where: { action: 'tracker.session_target_changed', targetId: id, actorId: user.id } })).toBe(1);
    const bad = await patchSession(req(`/api/tracker/sessions/${id}`, { method: 'PATCH', headers: await authHeaders(user), body: JSON.stringify({ targetS: -1 }) }), ctx({ id }));
    expect(bad.status).toBe(422);
    const other = await createUser({ role: 'admin' });
    const hidden = await getSession(req(`/api/tracker/sessions/${id}`, { headers: await authHeaders(other) }), ctx({ id }));
    expect(hidden.status).toBe(404);
  });

  test('DELETE one item renumbers the rest; DELETE the session removes its items; both audited', async () => {
    const user = await createUser();
    const id = await session(user, '2026-05-04T09:00:00Z', [100, 300, 600, 1000]);
    const del = await deleteItem(req(`/api/tracker/sessions/${id}/items/2`, { method: 'DELETE', headers: await authHeaders(user) }), ctx({ id, index: '2' }));
    expect(del.status).toBe(204);
    const after = await (await getSession(req(`/api/tracker/sessions/${id}`, { headers: await authHeaders(user) }), ctx({ id }))).json();
    expect(after.items.map((i: { index: number; rawS: number }) => [i.index, i.rawS])).toEqual([
      [1, 100],
      [2, 300],
      [3, 400],
    ]);
    expect(await db.auditLog.count({ where: { action: 'tracker.item_deleted', targetId: id } })).toBe(1);
    const missing = await deleteItem(req(`/api/tracker/sessions/${id}/items/9`, { method: 'DELETE', headers: await authHeaders(user) }), ctx({ id, index: '9' }));
    expect(missing.status).toBe(404);
    const junk = await deleteItem(req(`/api/tracker/sessions/${id}/items/x`, { method: 'DELETE', headers: await authHeaders(user) }), ctx({ id, index: 'x' }));
    expect(junk.status).toBe(400);

    const gone = await deleteSession(req(`/api/tracker/sessions/${id}`, { method: 'DELETE', headers: await authHeaders(user) }), ctx({ id }));
    expect(gone.status).toBe(204);
    expect(await db.trackerItem.count({ where: { sessionId: id } })).toBe(0);
    expect(await db.auditLog.count({ where: { action: 'tracker.session_deleted', targetId: id } })).toBe(1);
  });

  test('GET /api/tracker/sessions lists the recent ones, newest first; /current shows the open one', async () => {
    const user = await createUser();
    await session(user, '2026-05-04T09:00:00Z', [60]);
    const open = await press(user, 'NEXT', '2026-05-04T10:00:00Z');
    await press(user, 'NEXT', '2026-05-04T10:05:00Z');
    const list = await (await listSessions(req('/api/tracker/sessions?limit=5', { headers: await authHeaders(user) }), noCtx)).json();
    expect(list.sessions).toHaveLength(2);
    expect(list.sessions[0]).toMatchObject({ id: open.sessionId, open: true, items: 1 });
    const cur = await (await getCurrent(req('/api/tracker/current', { headers: await authHeaders(user) }), noCtx)).json();
    expect(cur).toMatchObject({ sessionId: open.sessionId, open: true, items: 1, currentStartedAt: '2026-05-04T10:05:00.000Z', avgActiveMmss: '05:00' });
  });
});

describe('tracker day view and export', () => {
  test('GET /api/tracker/days/2026-11-01 for a New York account: 25 hours, items by end time, weighted pace', async () => {
    const user = await createUser();
    await db.user.update({ where: { id: user.id }, data: { timezone: 'America/New_York' } });
    // 01:10 EDT → items end 01:15 EDT (05:15Z) and, an hour later, 01:15 EST (06:15Z).
    await session(user, '2026-11-01T05:10:00Z', [300, 3900]);
    const res = await getDay(req('/api/tracker/days/2026-11-01', { headers: await authHeaders(user) }), ctx({ date: '2026-11-01' }));
    expect(res.status).toBe(200);
    const day = await res.json();
    expect(day).toMatchObject({ date: '2026-11-01', timezone: 'America/New_York', start: '2026-11-01T04:00:00.000Z', items: 2, activeS: 3900 });
    expect(day.hours).toHaveLength(25);
    expect(day.hours[1]).toMatchObject({ hour: 1, items: 1, activeS: 300 });
    expect(day.hours[2]).toMatchObject({ hour: 1, items: 1, activeS: 3600 });
    expect(day.sessions).toHaveLength(1);
    expect(day).toMatchObject({ avgActiveS: 1950, targetS: 330 });
    const bad = await getDay(req('/api/tracker/days/2026-13-01', { headers: await authHeaders(user) }), ctx({ date: '2026-13-01' }));
    expect(bad.status).toBe(400);
  });

  test('GET /api/tracker/export → CSV of the range in the account’s timezone', async () => {
    const user = await createUser();
    await db.user.update({ where: { id: user.id }, data: { timezone: 'Asia/Kolkata' } });
    // Ends 2026-03-07T18:35Z = 00:05 IST on the 8th: outside a range ending on the 7th.
    await session(user, '2026-03-07T18:00:00Z', [120, 2100]);
    const res = await exportCsv(req('/api/tracker/export?from=2026-03-07&to=2026-03-07', { headers: await authHeaders(user) }), noCtx);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv');
    const lines = (await res.text()).trim().split('\r\n');
    expect(lines[0]).toBe('sessionId,index,startedAt,endedAt,rawS,activeS,pausedS,ghost,targetS');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(',1,2026-03-07T18:00:00.000Z,2026-03-07T18:02:00.000Z,120,120,0,false,330');
    const next = await (await exportCsv(req('/api/tracker/export?from=2026-03-08&to=2026-03-08', { headers: await authHeaders(user) }), noCtx)).text();
    expect(next.trim().split('\r\n')).toHaveLength(2);
    const reversed = await exportCsv(req('/api/tracker/export?from=2026-03-09&to=2026-03-01', { headers: await authHeaders(user) }), noCtx);
    expect(reversed.status).toBe(400);
  });

  test('GET /tracker/widget.user.js is a userscript for this origin', async () => {
    const res = await userscript(req('/tracker/widget.user.js', { headers: { host: 'marquee.local:8080' } }));
    expect(res.headers.get('content-type')).toContain('javascript');
    const text = await res.text();
    expect(text).toContain('// @connect      marquee.local');
    expect(text).toContain('"origin":"http://marquee.local:8080"');
    expect(text).toContain('// @match        *://*/*');
  });
});

describe('tracker-only tokens', () => {
  test('act on the tracker events and nothing else', async () => {
    const admin = await createUser({ role: 'admin' });
    const raw = `mq_${randomBytes(24).toString('base64url')}`;
    await db.apiToken.create({ data: { userId: admin.id, name: 'widget', tokenHash: hashToken(raw), prefix: raw.slice(0, 7), scopes: ['tracker'] } });
    const bearer = { authorization: `Bearer ${raw}` };
    const ev = await postEvent(req('/api/tracker/events', { method: 'POST', headers: bearer, body: JSON.stringify({ type: 'NEXT' }) }), noCtx);
    expect(ev.status).toBe(200);
    for (const res of [await listServers(req('/api/servers', { headers: bearer }), noCtx), await listTokens(req('/api/tokens', { headers: bearer }), noCtx), await listSessions(req('/api/tracker/sessions', { headers: bearer }), noCtx)]) {
      expect(res.status).toBe(403);
      expect((await res.json()).error.code).toBe('insufficient_scope');
    }
  });

  test('POST /api/tokens { scopes: ["tracker"] } creates one; an unknown scope is refused', async () => {
    const user = await createUser();
    const ok = await createToken(req('/api/tokens', { method: 'POST', headers: await authHeaders(user), body: JSON.stringify({ name: 'w', scopes: ['tracker'] }) }), noCtx);
    expect(ok.status).toBe(201);
    expect(await ok.json()).toMatchObject({ scopes: ['tracker'] });
    const bad = await createToken(req('/api/tokens', { method: 'POST', headers: await authHeaders(user), body: JSON.stringify({ name: 'w', scopes: ['admin'] }) }), noCtx);
    expect(bad.status).toBe(422);
  });
});

describe('widget settings', () => {
  test('PUT /api/tracker/settings (audited) changes the userscript a signed-in visitor gets; bad patterns and keys are refused', async () => {
    const user = await createUser();
    const put = (body: unknown) => authHeaders(user).then((h) => putSettings(req('/api/tracker/settings', { method: 'PUT', headers: h, body: JSON.stringify(body) }), noCtx));
    const ok = await put({ matches: ['https://queue.example/*', '*://tickets.example/review/*'], keys: { next: 'J', pause: 'k', undo: 'z', exit: 'q' } });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ matches: ['https://queue.example/*', '*://tickets.example/review/*'], keys: { next: 'j', pause: 'k', undo: 'z', exit: 'q' } });
    expect(await db.auditLog.count({ where: { action: 'tracker.widget_settings_changed', actorId: user.id } })).toBe(1);
    expect((await getSettings(req('/api/tracker/settings', { headers: await authHeaders(user) }), noCtx)).status).toBe(200);

    const mine = await (await userscript(req('/tracker/widget.user.js', { headers: { ...(await authHeaders(user)), host: 'marquee.local' } }))).text();
    expect(mine).toContain('// @match        https://queue.example/*');
    expect(mine).toContain('// @match        *://tickets.example/review/*');
    expect(mine).not.toContain('// @match        *://*/*');
    expect(mine).toContain('"keys":{"next":"j","pause":"k","undo":"z","exit":"q"}');
    const anonymous = await (await userscript(req('/tracker/widget.user.js', { headers: { host: 'marquee.local' } }))).text();
    expect(anonymous).toContain('// @match        *://*/*');

    // A newline would smuggle extra metadata (e.g. @grant) into the served script.
    expect((await put({ matches: ['https://a.example/*\n// @grant GM_openInTab'] })).status).toBe(422);
    expect((await put({ matches: ['not a pattern'] })).status).toBe(422);
    expect((await put({ keys: { next: 'n', pause: 'n', undo: 'u', exit: 'x' } })).status).toBe(422);
  });
});

describe('deleting an account', () => {
  test('DELETE /api/users/{id} removes that user\'s tracker sessions and items (userId has no foreign key)', async () => {
    const admin = await createUser({ role: 'admin' });
    const user = await createUser();
    const other = await createUser();
    await session(user, '2026-05-04T09:00:00Z', [300, 600]);
    const kept = await session(other, '2026-05-04T09:00:00Z', [300]);
    const res = await deleteUserRoute(req(`/api/users/${user.id}`, { method: 'DELETE', headers: await authHeaders(admin) }), ctx({ id: user.id }));
    expect(res.status).toBe(204);
    expect(await db.trackerSession.count({ where: { userId: user.id } })).toBe(0);
    expect(await db.trackerItem.count({ where: { userId: user.id } })).toBe(0);
    expect(await db.trackerSession.count({ where: { id: kept } })).toBe(1);
  });
});
