// Admin user management (last-admin protection) and personal API tokens.
import { describe, expect, test } from 'vitest';
import { db } from '../../lib/db';
import { GET as listUsersRoute } from '../../app/api/users/route';
import { PATCH as patchUser, DELETE as deleteUserRoute } from '../../app/api/users/[id]/route';
import { GET as listTokens, POST as createToken } from '../../app/api/tokens/route';
import { DELETE as revokeToken } from '../../app/api/tokens/[id]/route';
import { authHeaders, createUser, req } from '../helpers/auth';

const noCtx = { params: Promise.resolve({}) } as never;
const idCtx = (id: string) => ({ params: Promise.resolve({ id }) }) as never;
const jsonReq = async (path: string, user: { id: string }, method: string, body?: unknown) =>
  req(path, { method, headers: { ...(await authHeaders(user)), 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });

describe('last active admin protection', () => {
  test('the last active admin cannot be demoted, disabled or deleted; with a second admin it can', async () => {
    await db.user.deleteMany({});
    const admin = await createUser({ role: 'admin' });
    for (const body of [{ role: 'staff' }, { active: false }]) {
      const res = await patchUser(await jsonReq(`/api/users/${admin.id}`, admin, 'PATCH', body), idCtx(admin.id));
      expect(res.status).toBe(409);
      const err = (await res.json()).error;
      expect(err.code).toBe('last_admin');
      expect(err.message).toMatch(/last active admin/);
    }
    const del = await deleteUserRoute(await jsonReq(`/api/users/${admin.id}`, admin, 'DELETE'), idCtx(admin.id));
    expect(del.status).toBe(409);
    // A disabled admin doesn't count as a fallback.
    await createUser({ role: 'admin', active: false });
    expect((await patchUser(await jsonReq(`/api/users/${admin.id}`, admin, 'PATCH', { role: 'viewer' }), idCtx(admin.id))).status).toBe(409);

    const second = await createUser({ role: 'admin' });
    const demote = await patchUser(await jsonReq(`/api/users/${admin.id}`, second, 'PATCH', { role: 'staff', timezone: 'Europe/Paris', allowedServerIds: ['s1'] }), idCtx(admin.id));
    expect(demote.status).toBe(200);
    expect(await demote.json()).toMatchObject({ role: 'staff', timezone: 'Europe/Paris', allowedServerIds: ['s1'] });
    expect((await deleteUserRoute(await jsonReq(`/api/users/${second.id}`, second, 'DELETE'), idCtx(second.id))).status).toBe(409);
    expect(await db.auditLog.count({ where: { action: 'user.updated', targetId: admin.id } })).toBe(1);
  });

  test('non-admins cannot list or change users', async () => {
    const staff = await createUser({ role: 'staff' });
    expect((await listUsersRoute(await jsonReq('/api/users', staff, 'GET'), noCtx)).status).toBe(403);
    expect((await patchUser(await jsonReq(`/api/users/${staff.id}`, staff, 'PATCH', { role: 'admin' }), idCtx(staff.id))).status).toBe(403);
  });
});

describe('personal API tokens', () => {
  test('POST /api/tokens → 201 { id, name, token } once; Bearer authenticates with the owner role; revocation ends it', async () => {
    const owner = await createUser({ role: 'support' });
    const res = await createToken(await jsonReq('/api/tokens', owner, 'POST', { name: 'script', expiresAt: new Date(Date.now() + 86400_000).toISOString() }), noCtx);
    expect(res.status).toBe(201);
    const { id, name, token } = await res.json();
    expect(name).toBe('script');
    expect(token).toMatch(/^mq_/);
    const row = await db.apiToken.findUniqueOrThrow({ where: { id } });
    expect(row.tokenHash).not.toContain(token);

    const bearer = (path: string, method = 'GET') => req(path, { method, headers: { authorization: `Bearer ${token}` } });
    const list = await listTokens(bearer('/api/tokens'), noCtx);
    expect(list.status).toBe(200);
    const tokens = (await list.json()).tokens;
    expect(tokens).toHaveLength(1);
    expect(JSON.stringify(tokens)).not.toContain(token);
    expect(tokens[0].lastUsedAt).not.toBeNull();
    // Owner's role applies: support may not manage users.
    expect((await listUsersRoute(bearer('/api/users'), noCtx)).status).toBe(403);

    expect((await revokeToken(await jsonReq(`/api/tokens/${id}`, owner, 'DELETE'), idCtx(id))).status).toBe(204);
    expect((await listTokens(bearer('/api/tokens'), noCtx)).status).toBe(401);
    // Someone else's token id is simply not found.
    const other = await createUser({ role: 'viewer' });
    expect((await revokeToken(await jsonReq(`/api/tokens/${id}`, other, 'DELETE'), idCtx(id))).status).toBe(404);
  });

  test('an expired token is refused; bad input is a 422', async () => {
    const owner = await createUser({ role: 'viewer' });
    const past = await createToken(await jsonReq('/api/tokens', owner, 'POST', { name: 'x', expiresAt: '2001-01-01T00:00:00Z' }), noCtx);
    expect(past.status).toBe(422);
    const res = await createToken(await jsonReq('/api/tokens', owner, 'POST', { name: 'soon' }), noCtx);
    const { id, token } = await res.json();
    await db.apiToken.update({ where: { id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect((await listTokens(req('/api/tokens', { headers: { authorization: `Bearer ${token}` } }), noCtx)).status).toBe(401);
  });
});
