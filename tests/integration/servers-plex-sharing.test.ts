// Plex library access lives on plex.tv: with PLEX_TV_URL pointed at the fake Plex, editing a Plex
// user's sections goes through the shared_servers API and is audited.
import { afterAll, beforeAll, expect, test, vi } from 'vitest';

const { port } = vi.hoisted(() => {
  const port = 41000 + Math.floor(Math.random() * 20000);
  process.env.PLEX_TV_URL = `http://127.0.0.1:${port}`;
  return { port };
});

import { db } from '@/lib/db';
import { closeLiveBus } from '@/lib/servers';
import { FakePlex } from '@/tests/fakes';
import { authHeaders, createUser, req, type TestUser } from '@/tests/helpers/auth';
import * as serversRoute from '@/app/api/servers/route';
import * as syncRoute from '@/app/api/servers/[id]/sync/route';
import * as accessRoute from '@/app/api/servers/[id]/users/[userId]/libraries/route';

const plex = new FakePlex();
let admin: TestUser;
const params = <T extends Record<string, string>>(p: T) => ({ params: Promise.resolve(p) });

beforeAll(async () => {
  await plex.listen(port);
  admin = await createUser({ role: 'admin' });
});
afterAll(async () => {
  await closeLiveBus();
  await plex.close();
});

test('PUT /api/servers/{id}/users/{userId}/libraries updates the Plex share on plex.tv (audited); support may not', async () => {
  const headers = { ...(await authHeaders(admin)), 'content-type': 'application/json' };
  const created = await serversRoute.POST(req('/api/servers', { method: 'POST', headers, body: JSON.stringify({ type: 'plex', name: 'Plex', url: plex.url, token: plex.token }) }), params({}));
  const { id } = (await created.json()) as { id: string };
  await syncRoute.POST(req(`/api/servers/${id}/sync`, { method: 'POST', headers: await authHeaders(admin) }), params({ id }));
  const user = await db.mediaUser.findFirstOrThrow({ where: { serverId: id, externalId: '1000' } });

  const before = await accessRoute.GET(req(`/api/servers/${id}/users/${user.id}/libraries`, { headers: await authHeaders(admin) }), params({ id, userId: user.id }));
  expect(await before.json()).toEqual({ allLibraries: false, libraryIds: ['1'] });

  const put = await accessRoute.PUT(
    req(`/api/servers/${id}/users/${user.id}/libraries`, { method: 'PUT', headers, body: JSON.stringify({ allLibraries: false, libraryIds: ['2', '3'] }) }),
    params({ id, userId: user.id }),
  );
  expect(put.status).toBe(200);
  expect(plex.callsOf('library-access').at(-1)).toMatchObject({ userId: '1000', body: { server_id: plex.machineId, shared_server: { library_section_ids: [102, 103] } } }); // plex.tv's section ids, not the keys
  const after = await accessRoute.GET(req(`/api/servers/${id}/users/${user.id}/libraries`, { headers: await authHeaders(admin) }), params({ id, userId: user.id }));
  expect(await after.json()).toEqual({ allLibraries: false, libraryIds: ['2', '3'] });
  expect(await db.auditLog.findFirst({ where: { action: 'media_user.library_access', targetId: user.id } })).toMatchObject({ actorId: admin.id });

  const unknown = await accessRoute.PUT(
    req(`/api/servers/${id}/users/${user.id}/libraries`, { method: 'PUT', headers, body: JSON.stringify({ allLibraries: false, libraryIds: ['2', '99'] }) }),
    params({ id, userId: user.id }),
  );
  expect(unknown.status).toBe(422);
  expect(((await unknown.json()) as { error: { message: string } }).error.message).toMatch(/Library 99 is not one of this server's libraries/);
  expect(await (await accessRoute.GET(req(`/api/servers/${id}/users/${user.id}/libraries`, { headers: await authHeaders(admin) }), params({ id, userId: user.id }))).json()).toEqual({ allLibraries: false, libraryIds: ['2', '3'] });

  const all = await accessRoute.PUT(
    req(`/api/servers/${id}/users/${user.id}/libraries`, { method: 'PUT', headers, body: JSON.stringify({ allLibraries: true, libraryIds: [] }) }),
    params({ id, userId: user.id }),
  );
  expect(all.status).toBe(200);
  expect(plex.callsOf('library-access').at(-1)).toMatchObject({ body: { shared_server: { library_section_ids: [101, 102, 103] } } });

  const support = await createUser({ role: 'support', serverIds: [id] });
  const denied = await accessRoute.PUT(
    req(`/api/servers/${id}/users/${user.id}/libraries`, { method: 'PUT', headers: { ...(await authHeaders(support)), 'content-type': 'application/json' }, body: JSON.stringify({ allLibraries: true, libraryIds: [] }) }),
    params({ id, userId: user.id }),
  );
  expect(denied.status).toBe(403);
});
