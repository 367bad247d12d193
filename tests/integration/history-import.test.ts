// Tautulli import against the fake Tautulli over real HTTP, on a real PostgreSQL: idempotent (each row
// once), resumable, incremental, users mapped to the matching Plex server's media users, and clear
// errors for a bad URL, a bad key or something that is not Tautulli.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { db } from '@/lib/db';
import { encryptString } from '@/lib/crypto/encryption';
import { systemActor } from '@/lib/auth/actor';
import { runTautulliImport, saveTautulliConnection, scheduleTautulliPull, startTautulliImport } from '@/lib/history/import';
import { FakePlex, FakeTautulli } from '@/tests/fakes';
import { GET as getImport } from '@/app/api/imports/[id]/route';
import { POST as postImport } from '@/app/api/imports/tautulli/route';
import { authHeaders, createUser, req } from '@/tests/helpers/auth';

const ROWS = 20_000;
const tautulli = new FakeTautulli({ rowCount: ROWS });
const plex = new FakePlex();
const admin = systemActor('test');

beforeAll(async () => {
  await tautulli.listen();
  await plex.listen();
  await db.mediaServer.create({ data: { id: 'taut-plex', type: 'plex', name: 'Home Plex', url: plex.url, machineId: tautulli.pmsIdentifier, tokenEnc: encryptString('x', undefined, 'server:taut-plex') } });
  await db.mediaUser.create({ data: { serverId: 'taut-plex', externalId: '8008135', name: 'Daenerys' } });
});
afterAll(async () => {
  await tautulli.close();
  await plex.close();
});

describe('Tautulli connection', () => {
  test('a bad URL, a bad key and a server that is not Tautulli each get a clear 422', async () => {
    await expect(saveTautulliConnection(admin, { url: tautulli.url, apiKey: 'wrong' })).rejects.toMatchObject({ code: 'tautulli_invalid_key', status: 422 });
    await expect(saveTautulliConnection(admin, { url: plex.url, apiKey: 'x' })).rejects.toMatchObject({ code: 'tautulli_not_tautulli' });
    await expect(saveTautulliConnection(admin, { url: 'http://127.0.0.1:9', apiKey: 'x' })).rejects.toMatchObject({ code: 'tautulli_unreachable' });
    expect(await db.tautulliConnection.count()).toBe(0);
  });

  test('saved encrypted; lists Tautulli users with the media users they map to', async () => {
    const saved = await saveTautulliConnection(admin, { url: tautulli.url + '/', apiKey: tautulli.apiKey });
    expect(saved.server.matchedServerId).toBe('taut-plex');
    expect(saved.users).toContainEqual({ userId: '8008135', name: 'DanyKhaleesi69', mediaUser: 'Daenerys' });
    const row = await db.tautulliConnection.findUniqueOrThrow({ where: { id: 'default' } });
    expect(row.apiKeyEnc).not.toContain(tautulli.apiKey);
  });
});

describe('Tautulli import', () => {
  test(`${ROWS} rows imported twice give ${ROWS} plays; progress through GET /api/imports/{id}`, async () => {
    const user = await createUser({ role: 'admin' });
    const res = await postImport(req('/api/imports/tautulli', { method: 'POST', headers: { ...(await authHeaders(user)), 'content-type': 'application/json' }, body: '{}' }), { params: Promise.resolve({}) });
    expect(res.status).toBe(202);
    const { id } = (await res.json()) as { id: string };
    await runTautulliImport(id);
    const status = await getImport(req(`/api/imports/${id}`, { headers: await authHeaders(user) }), { params: Promise.resolve({ id }) });
    expect(await status.json()).toEqual({ id, status: 'done', imported: ROWS, skipped: 0, total: ROWS });
    expect(await db.play.count({ where: { source: 'import' } })).toBe(ROWS);

    const again = await startTautulliImport(admin, {});
    const second = await runTautulliImport(again.id);
    expect(second).toMatchObject({ status: 'done', imported: 0, skipped: ROWS });
    expect(await db.play.count({ where: { source: 'import' } })).toBe(ROWS);
  }, 120_000);

  test('string-typed numbers and nulls map to the play; users map to the Plex server media users', async () => {
    const p = await db.play.findUniqueOrThrow({ where: { importKey: 'tautulli:7' } });
    const r = tautulli.row(7);
    expect(p).toMatchObject({
      serverId: 'taut-plex', serverName: 'Home Plex', source: 'import', pausedS: 30, watchedS: Number(r.play_duration), title: 'Episode 7',
      grandparentTitle: 'Game of Thrones', parentIndex: 8, index: 7, mediaType: 'episode', startedAt: new Date(Number(r.started) * 1000),
      decision: 'directplay', isLocal: false, mediaUserId: String(r.user_id),
    });
    const dany = await db.play.findFirstOrThrow({ where: { mediaUserId: '8008135' } });
    expect(dany.mediaUser).toBe('Daenerys');
  });

  test('a run that died halfway resumes from where it stopped', async () => {
    await db.play.deleteMany({ where: { source: 'import' } });
    const row = await db.historyImport.create({ data: { url: tautulli.url, status: 'running', offset: 10_000, imported: 10_000 } });
    tautulli.historyCalls.length = 0;
    const done = await runTautulliImport(row.id);
    expect(tautulli.historyCalls[0]!.start).toBe(10_000);
    expect(done).toMatchObject({ status: 'done', imported: 20_000 });
    expect(await db.play.count({ where: { source: 'import' } })).toBe(10_000);
  }, 120_000);

  test('the scheduled pull imports only rows newer than the last import', async () => {
    await db.tautulliConnection.update({ where: { id: 'default' }, data: { lastRowId: ROWS } });
    tautulli.rowCount = ROWS + 3;
    tautulli.historyCalls.length = 0;
    const pulled = await scheduleTautulliPull(admin);
    const done = await runTautulliImport(pulled!.id);
    expect(done).toMatchObject({ status: 'done', imported: 3, skipped: 0 });
    expect(tautulli.historyCalls).toHaveLength(1);
    expect((await db.tautulliConnection.findUniqueOrThrow({ where: { id: 'default' } })).lastRowId).toBe(ROWS + 3);
  });
});
