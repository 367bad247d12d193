// Scope (lib/auth/permissions.ts): staff and support act only on the media servers in their allowedServerIds.
// The authorization matrix proves who may call each route; this proves what the lists return: rows
// of other servers never appear (servers, sessions, bandwidth, rules and their firings).
import { beforeAll, describe, expect, test } from 'vitest';
import { db } from '../../lib/db';
import { encryptString } from '../../lib/crypto/encryption';
import { authHeaders, createUser, req, type TestUser } from '../helpers/auth';
import * as serversRoute from '../../app/api/servers/route';
import * as sessionsRoute from '../../app/api/sessions/route';
import * as bandwidthRoute from '../../app/api/servers/bandwidth/route';
import * as rulesRoute from '../../app/api/servers/rules/route';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- JSON bodies
const ctx = { params: Promise.resolve({} as Record<string, string>) };
let mine: string;
let theirs: string;
const rules: Record<string, string> = {};

async function server(name: string): Promise<string> {
  const row = await db.mediaServer.create({ data: { type: 'jellyfin', name, url: 'http://127.0.0.1:9', tokenEnc: encryptString('unused-token') } });
  await db.liveSession.create({ data: { serverId: row.id, sessionKey: `${name}-s1`, data: { title: `${name} title`, mediaUser: `${name}-user` } } });
  await db.bandwidthSample.create({ data: { serverId: row.id, totalKbps: 1000, lanKbps: 0, wanKbps: 1000, streams: 1 } });
  return row.id;
}

async function getJson(mod: { GET: (r: Request, c: { params: Promise<Record<string, string>> }) => Response | Promise<Response> }, url: string, user: TestUser): Promise<Json> {
  const res = await mod.GET(req(url, { headers: await authHeaders(user) }), ctx);
  expect(res.status, url).toBe(200);
  return (await res.json()) as Json;
}

beforeAll(async () => {
  mine = await server('Mine');
  theirs = await server('Theirs');
  for (const [name, serverIds] of [['everywhere', []], ['mine only', [mine]], ['theirs only', [theirs]]] as const) {
    const rule = await db.serverRule.create({ data: { kind: 'stream_limit', name, serverIds: [...serverIds] } });
    rules[name] = rule.id;
  }
  await db.ruleFiring.create({ data: { ruleId: rules['everywhere']!, serverId: mine, sessionKey: 'Mine-s1', mediaUser: 'Mine-user' } });
  await db.ruleFiring.create({ data: { ruleId: rules['everywhere']!, serverId: theirs, sessionKey: 'Theirs-s1', mediaUser: 'Theirs-user' } });
});

describe.each(['staff', 'support'] as const)('%s assigned to one server', (role) => {
  test('lists only that server, its sessions and its bandwidth', async () => {
    const user = await createUser({ role, serverIds: [mine] });
    expect((await getJson(serversRoute, '/api/servers', user)).servers.map((s: Json) => s.id)).toEqual([mine]);
    expect((await getJson(sessionsRoute, '/api/sessions', user)).sessions.map((s: Json) => s.serverId)).toEqual([mine]);
    expect((await getJson(sessionsRoute, `/api/sessions?serverId=${theirs}`, user)).sessions).toEqual([]);
    expect(Object.keys((await getJson(bandwidthRoute, '/api/servers/bandwidth', user)).bandwidth)).toEqual([mine]);
  });

  test('sees the rules that apply to that server and only the firings on it', async () => {
    const user = await createUser({ role, serverIds: [mine] });
    const body = await getJson(rulesRoute, '/api/servers/rules', user);
    expect(body.rules.map((r: Json) => r.name).sort()).toEqual(['everywhere', 'mine only']);
    expect(body.firings.map((f: Json) => f.serverId)).toEqual([mine]);
    expect(JSON.stringify(body)).not.toContain('Theirs-user');
  });

  test('with no servers assigned, sees nothing', async () => {
    const user = await createUser({ role });
    expect((await getJson(serversRoute, '/api/servers', user)).servers).toEqual([]);
    expect((await getJson(sessionsRoute, '/api/sessions', user)).sessions).toEqual([]);
    expect((await getJson(rulesRoute, '/api/servers/rules', user)).firings).toEqual([]);
  });
});

test('an admin sees every server, rule and firing', async () => {
  const admin = await createUser({ role: 'admin' });
  expect((await getJson(serversRoute, '/api/servers', admin)).servers).toHaveLength(2);
  const body = await getJson(rulesRoute, '/api/servers/rules', admin);
  expect(body.rules).toHaveLength(3);
  expect(body.firings.map((f: Json) => f.serverId).sort()).toEqual([mine, theirs].sort());
});
