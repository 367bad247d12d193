// GET /api/audit pagination and filters; GET /api/audit/export streaming.
import { describe, expect, test } from 'vitest';
import { db } from '../../lib/db';
import { listAuditActions, recordAudit } from '../../lib/audit';
import { GET as auditRoute } from '../../app/api/audit/route';
import { GET as exportRoute } from '../../app/api/audit/export/route';
import { authHeaders, createUser, req } from '../helpers/auth';

const noCtx = { params: Promise.resolve({}) } as never;

describe('GET /api/audit', () => {
  test('pages have no gaps or duplicates while new entries arrive', async () => {
    const admin = await createUser({ role: 'admin' });
    const headers = await authHeaders(admin);
    for (let i = 0; i < 45; i++) await recordAudit({ actor: null, action: 'test.page', detail: { i } });
    const seen: string[] = [];
    let cursor: string | null = null;
    let inserted = 0;
    do {
      const res = await auditRoute(req(`/api/audit?action=test.page&limit=10${cursor ? `&cursor=${cursor}` : ''}`, { headers }), noCtx);
      expect(res.status).toBe(200);
      const body = (await res.json()) as { entries: { id: string }[]; nextCursor: string | null };
      seen.push(...body.entries.map((e) => e.id));
      cursor = body.nextCursor;
      // Concurrent writers: new entries land between page requests.
      for (let k = 0; k < 3; k++, inserted++) await recordAudit({ actor: null, action: 'test.page', detail: { late: inserted } });
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toHaveLength(45);
    const ids = seen.map(BigInt);
    expect(ids.every((id, i) => i === 0 || id < ids[i - 1]!)).toBe(true);

    const asc = await auditRoute(req('/api/audit?action=test.page&order=asc&limit=200', { headers }), noCtx);
    expect((await asc.json()).entries).toHaveLength(45 + inserted);
  });

  test('entries sharing one timestamp are neither lost nor repeated at page boundaries', async () => {
    const admin = await createUser({ role: 'admin' });
    const headers = await authHeaders(admin);
    await db.$executeRaw`INSERT INTO "AuditLog" ("at", "actorType", "action") SELECT TIMESTAMP '2026-03-01 10:00:00', 'system', 'test.same_at' FROM generate_series(1, 25)`;
    for (const order of ['desc', 'asc']) {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const res = await auditRoute(req(`/api/audit?action=test.same_at&order=${order}&limit=10${cursor ? `&cursor=${cursor}` : ''}`, { headers }), noCtx);
        const body = (await res.json()) as { entries: { id: string }[]; nextCursor: string | null };
        seen.push(...body.entries.map((e) => e.id));
        cursor = body.nextCursor;
      } while (cursor);
      expect(new Set(seen).size).toBe(25);
      expect(seen).toHaveLength(25);
    }
    expect((await auditRoute(req('/api/audit?cursor=12', { headers }), noCtx)).status).toBe(422);
  });

  test('filters, limits and named 400s for bad dates', async () => {
    const admin = await createUser({ role: 'admin' });
    const headers = await authHeaders(admin);
    await recordAudit({ actor: { kind: 'user', id: admin.id, email: admin.email, name: 'a', role: 'admin', serverIds: [], mediaUsers: [], timezone: 'UTC', mustChangePassword: false, via: 'session' }, action: 'server.created', target: { type: 'server', id: 's1' } });
    const get = (qs: string) => auditRoute(req(`/api/audit?${qs}`, { headers }), noCtx);
    const byActor = await (await get(`actorId=${admin.id}&targetType=server`)).json();
    expect(byActor.entries.map((e: { action: string }) => e.action)).toEqual(['server.created']);
    expect((await (await get('from=2000-01-01T00:00:00Z&to=2000-01-02T00:00:00Z')).json()).entries).toEqual([]);
    expect((await (await get('from=nonsense')).json()).error.code).toBe('invalid_from');
    const reversed = await get('from=2026-02-01&to=2026-01-01');
    expect(reversed.status).toBe(400);
    expect((await reversed.json()).error.code).toBe('invalid_range');
    expect((await get('limit=201')).status).toBe(422);
    expect((await get('limit=0')).status).toBe(422);
    const viewer = await createUser({ role: 'staff' });
    expect((await auditRoute(req('/api/audit', { headers: await authHeaders(viewer) }), noCtx)).status).toBe(403);
  });
});

describe('GET /api/audit: date-only to, range cap, hasMore, targetUserId', () => {
  test('a date-only `to` covers that whole day', async () => {
    const admin = await createUser({ role: 'admin' });
    const headers = await authHeaders(admin);
    await db.$executeRaw`INSERT INTO "AuditLog" ("at", "actorType", "action") VALUES
      (TIMESTAMP '2026-09-05 12:00:00', 'system', 'test.day'), (TIMESTAMP '2026-09-06 00:00:00', 'system', 'test.day'),
      (TIMESTAMP '2026-09-06 23:59:59.999', 'system', 'test.day'), (TIMESTAMP '2026-09-07 00:00:00', 'system', 'test.day')`;
    const res = await auditRoute(req('/api/audit?action=test.day&from=2026-09-06&to=2026-09-06&order=asc', { headers }), noCtx);
    expect(res.status).toBe(200);
    const at = ((await res.json()) as { entries: { at: string }[] }).entries.map((e) => e.at);
    expect(at).toEqual(['2026-09-06T00:00:00.000Z', '2026-09-06T23:59:59.999Z']);
    // A full timestamp stays exact.
    const exact = await auditRoute(req('/api/audit?action=test.day&from=2026-09-06T00:00:00Z&to=2026-09-06T00:00:00Z', { headers }), noCtx);
    expect(((await exact.json()) as { entries: unknown[] }).entries).toHaveLength(1);
  });

  test('one request covers at most 62 days', async () => {
    const admin = await createUser({ role: 'admin' });
    const headers = await authHeaders(admin);
    const get = (qs: string) => auditRoute(req(`/api/audit?${qs}`, { headers }), noCtx);
    // 62 whole days (the 1st of July through the 31st of August, a date-only `to`) is allowed …
    expect((await get('from=2026-07-01&to=2026-08-31')).status).toBe(200);
    // … one day more is not.
    const tooLong = await get('from=2026-07-01&to=2026-09-01');
    expect(tooLong.status).toBe(400);
    expect((await tooLong.json()).error.code).toBe('range_too_large');
    // An open `to` means now.
    const open = await get(`from=${new Date(Date.now() - 63 * 86_400_000).toISOString()}`);
    expect(open.status).toBe(400);
    expect((await open.json()).error.code).toBe('range_too_large');
    expect((await get(`from=${new Date(Date.now() - 61 * 86_400_000).toISOString()}`)).status).toBe(200);
  });

  test('hasMore is true exactly while nextCursor is set', async () => {
    const admin = await createUser({ role: 'admin' });
    const headers = await authHeaders(admin);
    for (let i = 0; i < 5; i++) await recordAudit({ actor: null, action: 'test.more' });
    const first = (await (await auditRoute(req('/api/audit?action=test.more&limit=3', { headers }), noCtx)).json()) as { entries: unknown[]; nextCursor: string | null; hasMore: boolean };
    expect(first.entries).toHaveLength(3);
    expect(first.hasMore).toBe(true);
    expect(first.nextCursor).not.toBeNull();
    const second = (await (await auditRoute(req(`/api/audit?action=test.more&limit=3&cursor=${first.nextCursor}`, { headers }), noCtx)).json()) as typeof first;
    expect(second.entries).toHaveLength(2);
    expect(second.hasMore).toBe(false);
    expect(second.nextCursor).toBeNull();
    const exact = (await (await auditRoute(req('/api/audit?action=test.more&limit=5', { headers }), noCtx)).json()) as typeof first;
    expect(exact.entries).toHaveLength(5);
    expect(exact.hasMore).toBe(false);
  });

  test('targetUserId keeps the entries about that user account, also across pages', async () => {
    const admin = await createUser({ role: 'admin' });
    const headers = await authHeaders(admin);
    const target = await createUser({ role: 'viewer' });
    const other = await createUser({ role: 'viewer' });
    await recordAudit({ actor: null, action: 'user.role_changed', target: { type: 'user', id: target.id } });
    await recordAudit({ actor: null, action: 'user.role_changed', target: { type: 'user', id: other.id } });
    // Same id under another target type is not about the user.
    await recordAudit({ actor: null, action: 'video.update', target: { type: 'video', id: target.id } });
    await recordAudit({ actor: null, action: 'user.disabled', target: { type: 'user', id: target.id } });
    const first = (await (await auditRoute(req(`/api/audit?targetUserId=${target.id}&limit=1`, { headers }), noCtx)).json()) as {
      entries: { action: string; targetId: string; targetType: string }[];
      nextCursor: string | null;
      hasMore: boolean;
    };
    const second = (await (await auditRoute(req(`/api/audit?targetUserId=${target.id}&limit=1&cursor=${first.nextCursor}`, { headers }), noCtx)).json()) as typeof first;
    const all = [...first.entries, ...second.entries];
    expect(all.map((e) => e.action)).toEqual(['user.disabled', 'user.role_changed']);
    expect(all.every((e) => e.targetType === 'user' && e.targetId === target.id)).toBe(true);
    expect(second.hasMore).toBe(false);
  });
});

describe('audit actions for the filter drop-down', () => {
  test('each action once, sorted, whatever the number of entries', async () => {
    const admin = await createUser({ role: 'admin' });
    const rows = ['zz.last', 'aa.first', 'mm.middle'].flatMap((action) => Array.from({ length: 40 }, () => ({ action, actorType: 'system' })));
    await db.auditLog.createMany({ data: rows });
    const expected = (await db.$queryRaw<{ action: string }[]>`SELECT DISTINCT "action" FROM "AuditLog" ORDER BY "action"`).map((r) => r.action);
    const actions = await listAuditActions({ kind: 'user', id: admin.id, email: admin.email, name: 'a', role: 'admin', serverIds: [], mediaUsers: [], timezone: 'UTC', mustChangePassword: false, via: 'session' });
    expect(actions).toEqual(expected);
    expect(actions).toEqual(expect.arrayContaining(['aa.first', 'mm.middle', 'zz.last']));
    expect(new Set(actions).size).toBe(actions.length);
  });
});

describe('GET /api/audit/export', () => {
  test('streams 10 000 entries as CSV and as JSON', async () => {
    const admin = await createUser({ role: 'admin' });
    const headers = await authHeaders(admin);
    await db.$executeRaw`INSERT INTO "AuditLog" ("actorType", "action", "targetType", "targetId", "detail")
      SELECT 'system', 'bulk.export', 'thing', g::text, jsonb_build_object('n', g, 'note', 'a "quoted", value') FROM generate_series(1, 10000) g`;

    const csv = await exportRoute(req('/api/audit/export?format=csv&action=bulk.export', { headers }), noCtx);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect(csv.headers.get('content-disposition')).toMatch(/attachment; filename="marquee-audit-.*\.csv"/);
    expect(csv.body).toBeInstanceOf(ReadableStream);
    const reader = csv.body!.getReader();
    let chunks = 0;
    let text = '';
    const dec = new TextDecoder();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks++;
      text += dec.decode(value, { stream: true });
    }
    expect(chunks).toBeGreaterThan(5); // streamed in batches, not one buffer
    expect(text.endsWith('\r\n')).toBe(true); // RFC 4180 records end with CRLF
    const lines = text.trimEnd().split('\r\n');
    expect(lines[0]).toBe('id,at,actorId,actorType,action,targetType,targetId,ip,userAgent,detail');
    expect(lines).toHaveLength(10_001);
    expect(lines[1]).toContain('"{""n"":1,""note"":""a \\""quoted\\"", value""}"');

    const json = await exportRoute(req('/api/audit/export?format=json&action=bulk.export', { headers }), noCtx);
    const rows = (await json.json()) as { targetId: string }[];
    expect(rows).toHaveLength(10_000);
    expect(rows[9999]!.targetId).toBe('10000');
    expect(await db.auditLog.count({ where: { action: 'audit.exported' } })).toBe(2);
    expect((await exportRoute(req('/api/audit/export?format=xml', { headers }), noCtx)).status).toBe(400);
  });
});
