// Tautulli API v2 (/api/v2), core commands, through the route handler (the real entry point): each
// answer against Tautulli's documented example (keys and JSON types), get_activity over live sessions
// of fake Plex, Jellyfin and Emby servers, the scope of each key, Tautulli's errors and statuses,
// parameter leniency, and terminate_session (permission-checked and audited like the native route).
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { db } from '@/lib/db';
import { encryptString } from '@/lib/crypto/encryption';
import { systemActor } from '@/lib/auth/actor';
import { hashToken } from '@/lib/auth/session';
import { closeLiveBus, pollServer, syncServerDirectory } from '@/lib/servers';
import { FakeEmby, FakeJellyfin, FakePlex } from '@/tests/fakes';
import { authHeaders, createUser, req, type TestUser } from '@/tests/helpers/auth';
import { contractDiff, tautulliExample, type ContractOptions } from '@/tests/helpers/tautulli-contract';
import * as v2 from '@/app/api/v2/route';
import * as sessionsRoute from '@/app/api/sessions/route';
import * as tokensRoute from '@/app/api/tokens/route';

const plex = new FakePlex();
const jellyfin = new FakeJellyfin();
const emby = new FakeEmby();
const ids = { plex: 'ta-plex', jellyfin: 'ta-jellyfin', emby: 'ta-emby' };
const ALICE = '0f1e2d3c4b5a69788796a5b4c3d2e1f0'; // Jellyfin's alice (fixtures/jellyfin/users_SYNTHESIZED.json)
const BOB = '1122334455667788990011223344556a'; // Jellyfin's bob
const EMBY_ADMIN = 'e6a9dd89fd954d689870e7e0e3e72947';

let admin: TestUser;
let viewer: TestUser;
let staff: TestUser;
const keys = { admin: '', viewer: '', staff: '', adminAll: '', tracker: '' };

type Envelope<T = unknown> = { response: { result: 'success' | 'error'; message: string | null; data: T } };

async function token(user: { id: string }, scopes: string[]): Promise<string> {
  const t = `mq_${randomBytes(24).toString('base64url')}`;
  await db.apiToken.create({ data: { userId: user.id, name: `tautulli ${scopes.join(',')}`, tokenHash: hashToken(t), prefix: t.slice(0, 7), scopes } });
  return t;
}

async function call<T = unknown>(params: Record<string, string>, init: { method?: 'GET' | 'POST'; body?: string; contentType?: string } = {}) {
  const qs = new URLSearchParams(params).toString();
  const request = req(`/api/v2${qs ? `?${qs}` : ''}`, {
    method: init.method ?? 'GET',
    ...(init.body !== undefined ? { body: init.body, headers: { 'content-type': init.contentType ?? 'application/x-www-form-urlencoded' } } : {}),
  });
  const res = await (init.method === 'POST' ? v2.POST(request) : v2.GET(request));
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  return { status: res.status, body: (await res.json()) as Envelope<T> };
}

const cmd = <T = unknown>(key: string, name: string, extra: Record<string, string> = {}) => call<T>({ apikey: key, cmd: name, ...extra });

async function addServer(id: string, fake: FakePlex | FakeJellyfin | FakeEmby, name: string, machineId: string | null) {
  await db.mediaServer.create({
    data: { id, type: fake.type, name, url: fake.url, machineId, version: '1.2.3', tokenEnc: encryptString(fake.token, undefined, `server:${id}`), pollIntervalS: 10, health: 'ok' },
  });
  await syncServerDirectory(systemActor('test'), id);
}

type Session = Record<string, unknown> & { session_key: string; session_id: string; user: string; user_id: number; bandwidth: string; location: string; transcode_decision: string; server_id: string };
type Activity = {
  sessions: Session[];
  stream_count: string;
  stream_count_direct_play: number;
  stream_count_direct_stream: number;
  stream_count_transcode: number;
  total_bandwidth: number;
  lan_bandwidth: number;
  wan_bandwidth: number;
};

beforeAll(async () => {
  await Promise.all([plex.listen(), jellyfin.listen(), emby.listen()]);
  await addServer(ids.plex, plex, 'Plex box', plex.machineId);
  await addServer(ids.jellyfin, jellyfin, 'Jellyfin box', null);
  await addServer(ids.emby, emby, 'Emby box', null);
  admin = await createUser({ role: 'admin' });
  viewer = await createUser({ role: 'viewer', mediaUsers: [`${ids.jellyfin}:${ALICE}`] });
  staff = await createUser({ role: 'staff', serverIds: [ids.plex] });
  keys.admin = await token(admin, ['tautulli']);
  keys.adminAll = await token(admin, ['all']);
  keys.viewer = await token(viewer, ['tautulli']);
  keys.staff = await token(staff, ['tautulli']);
  keys.tracker = await token(admin, ['tracker']);

  plex.startSession({ user: 'User 1', userId: '1', title: 'Ozymandias', decision: 'directplay', bandwidthKbps: 8000, ipAddress: '192.168.1.50' });
  jellyfin.startSession({ user: 'alice', userId: ALICE, title: 'Dune', mediaType: 'movie', decision: 'transcode', sourceHeight: 2160, streamHeight: 1080, hdr: 'HDR10', bandwidthKbps: 12000, ipAddress: '203.0.113.7' });
  jellyfin.startSession({ user: 'bob', userId: BOB, title: 'Heat', mediaType: 'movie', decision: 'directplay', bandwidthKbps: 6000, ipAddress: '192.168.1.60', state: 'paused' });
  emby.startSession({ user: 'admin', userId: EMBY_ADMIN, title: 'Alien', mediaType: 'movie', decision: 'directstream', bandwidthKbps: 4000, ipAddress: '192.168.1.70' });
  for (const id of Object.values(ids)) await pollServer(id);

  // Finished plays for the users and libraries tables (the poll opened one per session above).
  const jfMovies = await db.mediaLibrary.findFirstOrThrow({ where: { serverId: ids.jellyfin, type: 'movies' } });
  const base = { serverId: ids.jellyfin, serverName: 'Jellyfin box', mediaType: 'movie', source: 'poll' as const, lastSeenAt: new Date(), completed: true, decision: 'directplay', player: 'TV', platform: 'Android', library: jfMovies.name };
  await db.play.createMany({
    data: [
      { ...base, mediaUserId: ALICE, mediaUser: 'alice', title: 'Arrival', itemKey: 'item-arrival', startedAt: new Date('2026-01-02T20:00:00Z'), stoppedAt: new Date('2026-01-02T22:00:00Z'), watchedS: 7000, durationS: 7000 },
      { ...base, mediaUserId: ALICE, mediaUser: 'alice', title: 'Sicario', itemKey: 'item-sicario', startedAt: new Date('2026-01-03T20:00:00Z'), stoppedAt: new Date('2026-01-03T22:00:00Z'), watchedS: 6000, durationS: 6000 },
      { ...base, mediaUserId: BOB, mediaUser: 'bob', title: 'Ronin', itemKey: 'item-ronin', startedAt: new Date('2026-01-04T20:00:00Z'), stoppedAt: new Date('2026-01-04T22:00:00Z'), watchedS: 5000, durationS: 5000 },
    ],
  });
}, 120_000);

afterAll(async () => {
  await closeLiveBus();
  await Promise.all([plex.close(), jellyfin.close(), emby.close()]);
});

/** Compares a successful answer with the command's documented example (data, and the envelope around it). */
function expectContract(body: unknown, example: string, opts: ContractOptions = {}) {
  const ex = tautulliExample(example) as { response: Record<string, unknown> };
  expect(contractDiff(body, ex as never, { ...opts, nullable: [...(opts.nullable ?? []), 'response.message'] })).toEqual([]);
  expect((body as Envelope).response.result).toBe('success');
}

describe('contract: every command answers with the keys and JSON types of its documented example', () => {
  test('arnold, status, get_tautulli_info', async () => {
    const arnold = await cmd(keys.admin, 'arnold');
    expectContract(arnold.body, 'arnold');
    const status = await cmd(keys.admin, 'status');
    expect(status.body).toEqual({ response: { result: 'success', message: 'Ok', data: {} } });
    expectContract(status.body, 'status');
    const info = await cmd(keys.admin, 'get_tautulli_info');
    expect(info.status).toBe(200);
    expectContract(info.body, 'get_tautulli_info');
  });

  test('get_server_info, get_servers_info, get_server_friendly_name', async () => {
    const info = await cmd<Record<string, unknown>>(keys.admin, 'get_server_info', { server_id: ids.plex });
    expectContract(info.body, 'get_server_info');
    expect(info.body.response.data).toMatchObject({ pms_name: 'Plex box', pms_identifier: plex.machineId, pms_platform: 'Plex', pms_url: plex.url, pms_version: '1.2.3' });
    expect(info.body.response.data.pms_port).toBe(Number(new URL(plex.url).port));

    const all = await cmd<{ name: string }[]>(keys.admin, 'get_servers_info');
    expectContract(all.body, 'get_servers_info');
    expect(all.body.response.data.map((s) => s.name)).toEqual(['Emby box', 'Jellyfin box', 'Plex box']);

    const name = await cmd(keys.admin, 'get_server_friendly_name', { server_id: ids.jellyfin });
    expectContract(name.body, 'get_server_friendly_name');
    expect(name.body.response.data).toBe('Jellyfin box');
  });

  test('get_activity against the docstring example and a real Tautulli answer', async () => {
    const res = await cmd<Activity>(keys.admin, 'get_activity');
    expect(res.body.response.data.sessions.length).toBe(4);
    // The docstring shows `local` and `children_count` as strings; real Tautulli 2.x sends ints
    // (get_activity_directplay_ha.json), and pytautulli's bool(local) needs the int 0 for "not local".
    expectContract(res.body, 'get_activity_docstring', { types: { 'response.data.sessions[].local': 'number', 'response.data.sessions[].children_count': 'number' } });
    expectContract(res.body, 'get_activity_directplay_ha');
  });

  test('get_users, get_user, get_users_table', async () => {
    const users = await cmd<{ user_id: number; username: string }[]>(keys.admin, 'get_users');
    // users.py get_users reads `user_id` from an INTEGER column: a number, whatever the docstring shows.
    expectContract(users.body, 'get_users', { types: { 'response.data[].user_id': 'number' } });
    const alice = users.body.response.data.find((u) => u.username === 'alice')!;
    expect(alice.user_id).toBeGreaterThanOrEqual(1_000_000_000);

    const one = await cmd<{ username: string; last_seen: number }>(keys.admin, 'get_user', { user_id: String(alice.user_id) });
    expectContract(one.body, 'get_user');
    expect(one.body.response.data.username).toBe('alice');

    const table = await cmd<{ data: { username: string; plays: number | null }[]; recordsTotal: number }>(keys.admin, 'get_users_table', { order_column: 'plays', order_dir: 'desc' });
    // A user without plays gets null for the play columns (Tautulli's LEFT JOIN on its history).
    const noPlays = ['duration', 'ip_address', 'last_played', 'last_seen', 'media_index', 'media_type', 'parent_media_index', 'platform', 'player', 'plays', 'rating_key', 'title', 'transcode_decision'];
    // media_index/parent_media_index: null for a movie (alice's last play), as Tautulli's history has them.
    const always = ['history_row_id', 'media_index', 'originally_available_at', 'parent_media_index', 'thumb', 'year'];
    expectContract(table.body, 'get_users_table', { nullable: [...noPlays, ...always].map((k) => `response.data.data[].${k}`) });
    // alice (two finished plays and the open one) is first by plays, and has no null play column.
    const first = table.body.response.data.data[0]!;
    expect(first).toMatchObject({ username: 'alice', plays: 3 });
    expect(contractDiff({ response: { ...table.body.response, data: { ...table.body.response.data, data: [first] } } }, tautulliExample('get_users_table'), { nullable: [...always.map((k) => `response.data.data[].${k}`), 'response.message'] })).toEqual([]);
  });

  test('get_libraries, get_libraries_table', async () => {
    const libs = await cmd<{ section_id: string; section_name: string; server_id: string }[]>(keys.admin, 'get_libraries');
    expectContract(libs.body, 'get_libraries');
    expect(libs.body.response.data.length).toBeGreaterThan(2);

    const table = await cmd<{ data: { section_name: string; plays: number | null; section_id: number }[] }>(keys.admin, 'get_libraries_table', { order_column: 'plays', order_dir: 'desc', server_id: ids.jellyfin });
    const noPlays = ['duration', 'last_accessed', 'last_played', 'media_index', 'media_type', 'parent_media_index', 'plays', 'rating_key'];
    const always = ['child_count', 'content_rating', 'count', 'guid', 'histroy_row_id', 'originally_available_at', 'parent_count', 'thumb', 'year'];
    expectContract(table.body, 'get_libraries_table', { nullable: [...noPlays, ...always].map((k) => `response.data.data[].${k}`) });
    const movies = table.body.response.data.data[0]!;
    expect(movies.plays).toBe(3);
    expect(String(movies.section_id)).toBe(libs.body.response.data.find((l) => l.section_name === movies.section_name && l.server_id === ids.jellyfin)!.section_id);
  });
});

describe('get_activity over the fake Plex, Jellyfin and Emby servers', () => {
  test('every session, with Tautulli field names and values, and the totals', async () => {
    const { status, body } = await cmd<Activity>(keys.adminAll, 'get_activity');
    expect(status).toBe(200);
    const d = body.response.data;
    const byTitle = new Map(d.sessions.map((s) => [s.title, s]));
    expect(byTitle.get('Ozymandias')).toMatchObject({
      user: 'User 1', user_id: 1, friendly_name: 'User 1', full_title: 'Breaking Bad - Ozymandias', grandparent_title: 'Breaking Bad', media_type: 'episode',
      state: 'playing', transcode_decision: 'direct play', bandwidth: '8000', location: 'lan', server_id: ids.plex, player: 'Living Room TV', ip_address: '192.168.1.50',
    });
    const dune = byTitle.get('Dune')!;
    expect(dune).toMatchObject({
      user: 'alice', media_type: 'movie', full_title: 'Dune', transcode_decision: 'transcode', video_decision: 'transcode', stream_video_full_resolution: '1080p',
      video_full_resolution: '4k', video_dynamic_range: 'HDR', bandwidth: '12000', location: 'wan', server_id: ids.jellyfin,
    });
    expect(dune.user_id).toBeGreaterThanOrEqual(1_000_000_000);
    expect(Number.isInteger(Number(dune.session_key))).toBe(true);
    expect(Number(dune.progress_percent)).toBeGreaterThanOrEqual(0);
    expect(typeof dune.view_offset).toBe('string');
    expect(typeof dune.duration).toBe('string');
    expect(String(dune.thumb)).not.toBe('');
    expect(byTitle.get('Heat')).toMatchObject({ state: 'paused', transcode_decision: 'direct play', location: 'lan' });
    expect(byTitle.get('Alien')).toMatchObject({ transcode_decision: 'copy', server_id: ids.emby, bandwidth: '4000' });

    const sum = (xs: Session[]) => xs.reduce((n, s) => n + Number(s.bandwidth), 0);
    expect(d.stream_count).toBe(String(d.sessions.length));
    expect(d.stream_count_direct_play).toBe(2);
    expect(d.stream_count_transcode).toBe(1);
    expect(d.stream_count_direct_stream).toBe(1);
    expect(d.total_bandwidth).toBe(sum(d.sessions));
    expect(d.total_bandwidth).toBe(8000 + 12000 + 6000 + 4000);
    expect(d.wan_bandwidth).toBe(12000);
    expect(d.lan_bandwidth).toBe(d.total_bandwidth - 12000);
  });

  test('a session_key or session_id answers that one session', async () => {
    const all = (await cmd<Activity>(keys.admin, 'get_activity')).body.response.data.sessions;
    const dune = all.find((s) => s.title === 'Dune')!;
    expect((await cmd<Session>(keys.admin, 'get_activity', { session_key: dune.session_key })).body.response.data.title).toBe('Dune');
    expect((await cmd<Session>(keys.admin, 'get_activity', { session_id: dune.session_id })).body.response.data.title).toBe('Dune');
  });

  test('the same session keeps its session_key, user_id and rating_key from call to call', async () => {
    const a = (await cmd<Activity>(keys.admin, 'get_activity')).body.response.data.sessions.find((s) => s.title === 'Dune')!;
    const b = (await cmd<Activity>(keys.admin, 'get_activity')).body.response.data.sessions.find((s) => s.title === 'Dune')!;
    expect([b.session_key, b.user_id, b.rating_key]).toEqual([a.session_key, a.user_id, a.rating_key]);
  });
});

describe('scope: the key sees what its owner may see', () => {
  test("a viewer's key: only their own media user's session, user and plays", async () => {
    const act = await cmd<Activity>(keys.viewer, 'get_activity');
    expect(act.body.response.data.sessions.map((s) => s.user)).toEqual(['alice']);
    expect(act.body.response.data.stream_count).toBe('1');
    expect(act.body.response.data.total_bandwidth).toBe(12000);
    const users = await cmd<{ username: string }[]>(keys.viewer, 'get_users');
    expect(users.body.response.data.map((u) => u.username)).toEqual(['alice']);
    const table = await cmd<{ data: { username: string; plays: number }[]; recordsTotal: number }>(keys.viewer, 'get_users_table');
    expect(table.body.response.data).toMatchObject({ recordsTotal: 1, data: [{ username: 'alice', plays: 3 }] });
    const libs = await cmd<{ data: { plays: number | null }[] }>(keys.viewer, 'get_libraries_table');
    // alice's two finished plays are in a library; bob's play is not hers to count.
    expect(libs.body.response.data.data.reduce((n, l) => n + (l.plays ?? 0), 0)).toBe(2);
    // The media server's address is not for viewers.
    const info = await cmd<Record<string, unknown>>(keys.viewer, 'get_server_info');
    expect(info.body.response.data).toMatchObject({ pms_name: 'Jellyfin box', pms_url: '', pms_ip: '' });
    // Another server is not theirs to name.
    expect((await cmd(keys.viewer, 'get_activity', { server_id: ids.plex })).body.response).toMatchObject({ result: 'error', message: `Invalid server_id: ${ids.plex}.` });
  });

  test("a viewer's key cannot terminate a stream, even their own", async () => {
    const act = await cmd<Activity>(keys.viewer, 'get_activity');
    const before = jellyfin.callsOf('terminate').length;
    const res = await cmd(keys.viewer, 'terminate_session', { session_id: act.body.response.data.sessions[0]!.session_id });
    expect(res.status).toBe(400);
    expect(res.body.response.result).toBe('error');
    expect(jellyfin.callsOf('terminate').length).toBe(before);
  });

  test("a staff key: only their servers", async () => {
    const act = await cmd<Activity>(keys.staff, 'get_activity');
    expect(act.body.response.data.sessions.map((s) => s.server_id)).toEqual([ids.plex]);
    expect((await cmd<{ name: string }[]>(keys.staff, 'get_servers_info')).body.response.data.map((s) => s.name)).toEqual(['Plex box']);
  });

  test('server_id narrows an admin key to one server', async () => {
    const act = await cmd<Activity>(keys.admin, 'get_activity', { server_id: ids.jellyfin });
    expect(new Set(act.body.response.data.sessions.map((s) => s.server_id))).toEqual(new Set([ids.jellyfin]));
  });
});

describe("Tautulli's errors, statuses and parameter leniency", () => {
  test('a wrong, missing, revoked or narrow key: "Invalid apikey" in the envelope, with the status Tautulli sends (400)', async () => {
    // api2.py: _api_validate sets 401, and _api_run replaces any error status but 500 with 400.
    expect(await cmd('mq_not-a-token', 'get_activity')).toEqual({ status: 400, body: { response: { result: 'error', message: 'Invalid apikey', data: {} } } });
    expect((await cmd(keys.tracker, 'get_activity')).body.response.message).toBe('Invalid apikey');
    expect(await call({ cmd: 'get_activity' })).toEqual({ status: 400, body: { response: { result: 'error', message: 'Parameter apikey is required', data: {} } } });
    const revoked = await token(admin, ['tautulli']);
    await db.apiToken.updateMany({ where: { tokenHash: hashToken(revoked) }, data: { revokedAt: new Date() } });
    expect((await cmd(revoked, 'status')).body.response.message).toBe('Invalid apikey');
  });

  test('unknown and missing cmd', async () => {
    const res = await cmd(keys.admin, 'get_everything');
    expect(res.status).toBe(400);
    expect(res.body.response.result).toBe('error');
    expect(res.body.response.message).toMatch(/^Unknown command: get_everything\. Possible commands are: .*\bget_activity\b/);
    const none = await call({ apikey: keys.admin });
    expect(none.body.response.message).toMatch(/^Parameter cmd is required\. Possible commands are: /);
  });

  test('a missing command parameter, an unsupported out_type', async () => {
    expect((await cmd(keys.admin, 'get_user')).body.response).toEqual({ result: 'error', message: 'Parameter user_id is required.', data: {} });
    expect((await cmd(keys.admin, 'get_users', { out_type: 'xml' })).status).toBe(400);
  });

  test('a "tautulli" token opens /api/v2 only', async () => {
    const res = await sessionsRoute.GET(req('/api/sessions', { headers: { authorization: `Bearer ${keys.admin}` } }), { params: Promise.resolve({}) });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('insufficient_scope');
  });

  test('POST /api/tokens { scopes: ["tautulli"] } makes a key for /api/v2', async () => {
    const res = await tokensRoute.POST(
      req('/api/tokens', { method: 'POST', headers: { ...(await authHeaders(viewer)), 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Home Assistant', scopes: ['tautulli'] }) }),
      { params: Promise.resolve({}) },
    );
    expect(res.status).toBe(201);
    const created = (await res.json()) as { token: string; scopes: string[] };
    expect(created.scopes).toEqual(['tautulli']);
    expect((await cmd<Activity>(created.token, 'get_activity')).body.response.data.stream_count).toBe('1');
  });

  test('ints from "2" and "2.0", POST with a form or a JSON body', async () => {
    const a = await cmd<{ data: unknown[]; recordsFiltered: number }>(keys.admin, 'get_users_table', { length: '2.0', start: '0' });
    expect(a.body.response.data.data.length).toBe(2);
    expect(a.body.response.data.recordsFiltered).toBeGreaterThan(2);
    expect((await cmd(keys.admin, 'get_users_table', { length: 'ten' })).body.response).toMatchObject({ result: 'error', message: 'Parameter length must be an integer.' });
    const form = await call({}, { method: 'POST', body: new URLSearchParams({ apikey: keys.admin, cmd: 'get_server_friendly_name', server_id: ids.plex }).toString() });
    expect(form.body.response).toMatchObject({ result: 'success', data: 'Plex box' });
    const json = await call({ cmd: 'get_users_table' }, { method: 'POST', contentType: 'application/json', body: JSON.stringify({ apikey: keys.admin, length: 1 }) });
    expect((json.body.response.data as { data: unknown[] }).data.length).toBe(1);
  });

  test('the session page uses search', async () => {
    const res = await cmd<{ data: { username: string }[]; recordsFiltered: number; recordsTotal: number }>(keys.admin, 'get_users_table', { search: 'BOB' });
    expect(res.body.response.data.data.map((u) => u.username)).toEqual(['bob']);
    expect(res.body.response.data.recordsFiltered).toBe(1);
    expect(res.body.response.data.recordsTotal).toBeGreaterThan(1);
  });
});

// Keeps a cookie-authenticated browser out: /api/v2 reads its apikey, never the session.
test('a signed-in browser without apikey gets Tautulli\'s error, not a session', async () => {
  const res = await v2.GET(req('/api/v2?cmd=get_activity', { headers: await authHeaders(admin) }));
  expect(res.status).toBe(400);
  expect(((await res.json()) as Envelope).response.message).toBe('Parameter apikey is required');
});

// Last: it stops the Emby stream the tests above count.
describe('terminate_session', () => {
  test('permission-checked and audited like DELETE /api/sessions/{id}; the answer as Tautulli\'s', async () => {
    const act = await cmd<Activity>(keys.admin, 'get_activity', { server_id: ids.emby });
    const target = act.body.response.data.sessions[0]!;
    const res = await call({ apikey: keys.staff, cmd: 'terminate_session', session_id: target.session_id, message: 'bye' });
    // staff of the Plex server only: the Emby session does not exist for them.
    expect(res.body.response.result).toBe('error');
    expect(emby.callsOf('terminate')).toEqual([]);

    const ok = await call({ apikey: keys.admin, cmd: 'terminate_session', session_key: target.session_key, message: 'Server maintenance' });
    expectContract(ok.body, 'terminate_session');
    expect(ok.body).toEqual({ response: { result: 'success', message: 'Session terminated.', data: {} } });
    expect(emby.callsOf('terminate').length).toBe(1);
    const audit = await db.auditLog.findFirst({ where: { action: 'session.terminate', actorId: admin.id }, orderBy: { at: 'desc' } });
    expect(audit?.detail).toMatchObject({ serverId: ids.emby, message: 'Server maintenance' });
    const after = await cmd<Activity>(keys.admin, 'get_activity', { server_id: ids.emby });
    expect(after.body.response.data.sessions).toEqual([]);
  });
});
