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
