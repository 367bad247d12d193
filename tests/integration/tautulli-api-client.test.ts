// A Tautulli client written the way pytautulli (Home Assistant's Tautulli library) reads the API,
// against Marquee's real HTTP server (scripts/web-server.ts: front door, proxy, route): it builds
// `/api/v2?apikey=…&cmd=…` URLs, needs a JSON content type, takes `response.data`, treats a 401 as an
// authentication failure and any other non-200 as a connection failure, and fills its models from
// the data: every key the model declares, the CONVERT_TO_BOOL keys through Python's bool(), and (as
// Home Assistant's sensors use them) ints out of the strings Tautulli sends.
// Field lists: pytautulli/models/{user,session,activity,server_info,home_stats}.py and models/const.py.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { db } from '@/lib/db';
import { encryptString } from '@/lib/crypto/encryption';
import { systemActor } from '@/lib/auth/actor';
import { hashToken } from '@/lib/auth/session';
import { closeLiveBus, pollServer, syncServerDirectory } from '@/lib/servers';
import { FakeEmby, FakeJellyfin, FakePlex } from '@/tests/fakes';
import { createUser } from '@/tests/helpers/auth';
import { startWebServer, type WebServer } from '@/tests/helpers/web-server';

// ---- the client ----------------------------------------------------------------------------------

type Kind = 'int' | 'bool' | 'str' | 'list';
type Fields = Record<string, Kind>;

function model(spec: Partial<Record<Kind, string>>, parent: Fields = {}): Fields {
  const out: Fields = { ...parent };
  for (const [kind, names] of Object.entries(spec) as [Kind, string][]) for (const n of names.split(' ')) out[n] = kind;
  return out;
}

// pytautulli/models/const.py
const CONVERT_TO_BOOL = new Set(['is_active', 'is_admin', 'is_home_user', 'is_allow_sync', 'is_restricted', 'do_notify', 'keep_history', 'allow_guest', 'secure', 'local', 'live', 'optimized_version', 'selected', 'pms_ssl', 'pms_is_remote', 'pms_url_manual', 'pms_plexpass']);

const USER_FIELDS = model({
  int: 'row_id user_id',
  bool: 'allow_guest do_notify is_active is_admin is_allow_sync is_home_user is_restricted keep_history',
  str: 'email friendly_name server_token thumb username',
  list: 'shared_libraries',
});
const SESSION_FIELDS = model(
  {
    int: 'bandwidth channel_stream children_count deleted_user indexes relayed session_key stream_aspect_ratio stream_audio_bitrate stream_audio_channels stream_audio_sample_rate stream_bitrate stream_duration stream_subtitle_forced stream_subtitle_transient stream_video_bit_depth stream_video_bitrate stream_video_chroma_subsampling stream_video_codec_level stream_video_height stream_video_ref_frames stream_video_resolution stream_video_width subtitles synced_version throttled transcode_hw_decoding transcode_hw_encoding transcode_hw_full_pipeline transcode_hw_requested transcode_progress transcode_throttled view_offset',
    bool: 'live optimized_version secure selected subtitle_forced',
    str: 'added_at art aspect_ratio audience_rating_image audience_rating audio_bitrate_mode audio_bitrate audio_channel_layout audio_channels audio_codec audio_decision audio_language_code audio_language audio_profile audio_sample_rate banner bif_thumb bitrate channel_call_sign channel_identifier channel_thumb container_decision container content_rating device duration file_size file full_title grandparent_guid grandparent_rating_key grandparent_thumb grandparent_title guid height id ip_address_public ip_address last_seen last_viewed_at library_name live_uuid local location machine_id media_index media_type optimized_version_profile optimized_version_title original_title originally_available_at parent_guid parent_media_index parent_rating_key parent_thumb parent_title platform_name platform_version platform player product_version product profile progress_percent quality_profile rating_image rating_key rating section_id session_id sort_title state stream_audio_bitrate_mode stream_audio_channel_layout_ stream_audio_channel_layout stream_audio_codec stream_audio_decision stream_audio_language_code stream_audio_language stream_container_decision stream_container stream_subtitle_codec stream_subtitle_container stream_subtitle_decision stream_subtitle_format stream_subtitle_language_code stream_subtitle_language stream_subtitle_location stream_video_codec stream_video_color_primaries stream_video_color_range stream_video_color_space stream_video_color_trc stream_video_decision stream_video_dynamic_range stream_video_framerate stream_video_full_resolution stream_video_language_code stream_video_language stream_video_scan_type studio subtitle_codec subtitle_container subtitle_decision subtitle_format subtitle_language_code subtitle_language subtitle_location summary synced_version_profile tagline title transcode_audio_channels transcode_audio_codec transcode_container transcode_decision transcode_height transcode_hw_decode_title transcode_hw_decode transcode_hw_encode_title transcode_hw_encode transcode_key transcode_protocol transcode_speed transcode_video_codec transcode_width type updated_at user_rating user_thumb user video_bit_depth video_bitrate video_chroma_subsampling video_codec_level video_codec video_color_primaries video_color_range video_color_space video_color_trc video_decision video_dynamic_range video_frame_rate video_framerate video_full_resolution video_height video_language_code video_language video_profile video_ref_frames video_resolution video_scan_type video_width width year',
    list: 'actors collections directors genres guids labels writers',
  },
  USER_FIELDS,
);
const ACTIVITY_FIELDS = model({ int: 'lan_bandwidth stream_count_direct_play stream_count_direct_stream stream_count_transcode stream_count total_bandwidth wan_bandwidth', list: 'sessions' });
const SERVER_INFO_FIELDS = model({ bool: 'pms_is_remote pms_plexpass pms_ssl pms_url_manual', str: 'pms_identifier pms_ip pms_name pms_platform pms_port pms_url pms_version' });
const HOME_STATS_FIELDS = model({ str: 'stat_id stat_type stat_title', list: 'rows' });
const HOME_STATS_ROW_FIELDS = model(
  {
    int: 'count rating_key row_id section_id total_duration total_plays year',
    bool: 'live',
    str: 'art content_rating friendly_name grandparent_rating_key grandparent_thumb guid last_play media_type platform platform_name started stopped thumb title user users_watched',
    list: 'labels',
  },
  USER_FIELDS,
);

/** The ints Home Assistant's sensors compute with: these must parse (an int, or a string of digits). */
const STRICT_INTS = new Set([...Object.keys(ACTIVITY_FIELDS).filter((k) => ACTIVITY_FIELDS[k] === 'int'), 'total_plays', 'total_duration', 'user_id']);

class ClientException extends Error {}
class AuthenticationException extends ClientException {}
class ConnectionException extends ClientException {}

/** Python's bool(): false for None, 0, "", [], {}; true for anything else (including the string "0"). */
function pyBool(v: unknown): boolean | null {
  if (v === null || v === undefined) return null;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === 'object') return Object.keys(v).length > 0;
  return Boolean(v);
}

function toInt(key: string, v: unknown): number | null | unknown {
  if (v === null || v === undefined || v === '') return null;
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (typeof v === 'string' && /^-?\d+$/.test(v)) return Number(v);
  if (STRICT_INTS.has(key)) throw new ClientException(`${key}: ${JSON.stringify(v)} is not an int`);
  return v; // pytautulli keeps what it cannot use as an int (e.g. stream_video_resolution "4k")
}

type Model = Record<string, unknown>;

/** PyTautulliApiBaseModel.__init__ + __post_init__, with ints read the way HA reads them. */
function fill(data: unknown, fields: Fields, what: string): Model {
  if (!data || typeof data !== 'object' || Array.isArray(data)) throw new ClientException(`${what}: expected an object, got ${JSON.stringify(data)}`);
  const out: Model = {};
  for (const [key, value] of Object.entries(data as Model)) {
    const kind = fields[key];
    if (!kind) continue;
    if (kind === 'list') {
      if (value !== null && !Array.isArray(value)) throw new ClientException(`${what}.${key}: expected a list`);
      out[key] = value;
    } else if (kind === 'int') out[key] = toInt(key, value);
    else if (kind === 'str') {
      if (value !== null && typeof value === 'object') throw new ClientException(`${what}.${key}: expected text, got ${JSON.stringify(value)}`);
      out[key] = value;
    } else out[key] = value;
  }
  for (const key of CONVERT_TO_BOOL) if (key in fields && out[key] !== undefined && out[key] !== null) out[key] = pyBool(out[key]);
  return out;
}

class PyTautulliLike {
  constructor(
    private readonly url: string,
    private readonly apiToken: string,
  ) {}

  /** PyTautulliHostConfiguration.api_url: `<url>/api/v2?apikey=…&cmd=…`. */
  apiUrl(command: string): string {
    const u = new URL('/api/v2', this.url);
    u.searchParams.set('apikey', this.apiToken);
    u.searchParams.set('cmd', command);
    return u.toString();
  }

  /** decorator.py api_command: GET, `response` of the JSON, 401 → authentication, other non-200 → connection. */
  async request(command: string, kwargs: Record<string, string | number> = {}): Promise<{ status: number; data: unknown; message: unknown }> {
    let url = this.apiUrl(command);
    for (const [k, v] of Object.entries(kwargs)) url += `&${k}=${v}`;
    const res = await fetch(url, { headers: { 'Content-Type': 'application/json' } });
    // aiohttp's ClientResponse.json() refuses another content type.
    if (!(res.headers.get('content-type') ?? '').startsWith('application/json')) throw new ClientException(`unexpected content type ${res.headers.get('content-type')}`);
    const result = (await res.json()) as { response?: { data?: unknown; message?: unknown } };
    const response = result.response ?? {};
    if (res.status !== 200) {
      if (res.status === 401) throw new AuthenticationException(String(response.message));
      throw new ConnectionException(`Request for '${command}' failed with status code '${res.status}'`);
    }
    return { status: res.status, data: response.data, message: response.message };
  }

  async getActivity() {
    const activity = fill((await this.request('get_activity')).data, ACTIVITY_FIELDS, 'activity');
    activity.sessions = ((activity.sessions as unknown[]) ?? []).map((s, i) => fill(s, SESSION_FIELDS, `sessions[${i}]`));
    return activity as Model & { sessions: Model[] };
  }

  async getHomeStats(kwargs: Record<string, string | number> = {}) {
    const data = (await this.request('get_home_stats', kwargs)).data;
    if (!Array.isArray(data)) throw new ClientException('home stats: expected a list');
    return data.map((d, i) => {
      const stat = fill(d, HOME_STATS_FIELDS, `home_stats[${i}]`);
      stat.rows = ((stat.rows as unknown[]) ?? []).map((r, j) => fill(r, HOME_STATS_ROW_FIELDS, `home_stats[${i}].rows[${j}]`));
      return stat as Model & { rows: Model[] };
    });
  }

  async getUsers() {
    const data = (await this.request('get_users')).data;
    if (!Array.isArray(data)) throw new ClientException('users: expected a list');
    return data.map((u, i) => fill(u, USER_FIELDS, `users[${i}]`));
  }

  async getServerInfo() {
    return fill((await this.request('get_server_info')).data, SERVER_INFO_FIELDS, 'server_info');
  }
}

// ---- the world -----------------------------------------------------------------------------------

const plex = new FakePlex();
const jellyfin = new FakeJellyfin();
const emby = new FakeEmby();
const ids = { plex: 'tc-plex', jellyfin: 'tc-jellyfin', emby: 'tc-emby' };
const ALICE = '0f1e2d3c4b5a69788796a5b4c3d2e1f0';
const BOB = '1122334455667788990011223344556a';
const EMBY_ADMIN = 'e6a9dd89fd954d689870e7e0e3e72947';
let web: WebServer;
const keys = { admin: '', viewer: '' };

async function token(user: { id: string }, scopes: string[]): Promise<string> {
  const t = `mq_${randomBytes(24).toString('base64url')}`;
  await db.apiToken.create({ data: { userId: user.id, name: 'Home Assistant', tokenHash: hashToken(t), prefix: t.slice(0, 7), scopes } });
  return t;
}

async function addServer(id: string, fake: FakePlex | FakeJellyfin | FakeEmby, name: string, machineId: string | null) {
  await db.mediaServer.create({
    data: { id, type: fake.type, name, url: fake.url, machineId, version: '10.9.0', tokenEnc: encryptString(fake.token, undefined, `server:${id}`), pollIntervalS: 10, health: 'ok' },
  });
  await syncServerDirectory(systemActor('test'), id);
}

beforeAll(async () => {
  await Promise.all([plex.listen(), jellyfin.listen(), emby.listen()]);
  await addServer(ids.plex, plex, 'Plex box', plex.machineId);
  await addServer(ids.jellyfin, jellyfin, 'Jellyfin box', null);
  await addServer(ids.emby, emby, 'Emby box', null);
  const admin = await createUser({ role: 'admin' });
  const viewer = await createUser({ role: 'viewer', mediaUsers: [`${ids.jellyfin}:${ALICE}`] });
  keys.admin = await token(admin, ['tautulli']);
  keys.viewer = await token(viewer, ['tautulli']);

  plex.startSession({ user: 'User 1', userId: '1', title: 'Ozymandias', decision: 'directplay', bandwidthKbps: 8000, ipAddress: '192.168.1.50' });
  jellyfin.startSession({ user: 'alice', userId: ALICE, title: 'Dune', mediaType: 'movie', decision: 'transcode', sourceHeight: 2160, streamHeight: 1080, hdr: 'HDR10', bandwidthKbps: 12000, ipAddress: '203.0.113.7' });
  emby.startSession({ user: 'admin', userId: EMBY_ADMIN, title: 'Alien', mediaType: 'movie', decision: 'directstream', bandwidthKbps: 4000, ipAddress: '192.168.1.70' });
  for (const id of Object.values(ids)) await pollServer(id);

  const day = (n: number) => new Date(Date.now() - n * 86_400_000);
  const base = { serverId: ids.jellyfin, serverName: 'Jellyfin box', source: 'poll' as const, lastSeenAt: new Date(), completed: true, decision: 'directplay', player: 'TV', platform: 'Android', library: 'Movies' };
  await db.play.createMany({
    data: [
      { ...base, mediaUserId: ALICE, mediaUser: 'alice', mediaType: 'movie', title: 'Arrival', itemKey: 'item-arrival', startedAt: day(3), stoppedAt: day(3), watchedS: 7000, durationS: 7000 },
      { ...base, mediaUserId: ALICE, mediaUser: 'alice', mediaType: 'movie', title: 'Arrival', itemKey: 'item-arrival', startedAt: day(2), stoppedAt: day(2), watchedS: 7000, durationS: 7000 },
      { ...base, mediaUserId: BOB, mediaUser: 'bob', mediaType: 'movie', title: 'Ronin', itemKey: 'item-ronin', startedAt: day(1), stoppedAt: day(1), watchedS: 5000, durationS: 5000 },
      { ...base, mediaUserId: BOB, mediaUser: 'bob', mediaType: 'episode', title: 'Pilot', grandparentTitle: 'Severance', parentIndex: 1, index: 1, itemKey: 'item-pilot', library: 'Shows', startedAt: day(1), stoppedAt: day(1), watchedS: 3000, durationS: 3000 },
    ],
  });
  web = await startWebServer();
}, 300_000);

afterAll(async () => {
  await web?.stop();
  await closeLiveBus();
  await Promise.all([plex.close(), jellyfin.close(), emby.close()]);
});

// ---- the tests -----------------------------------------------------------------------------------

describe('a pytautulli-style client over real HTTP (apikey in the query string)', () => {
  test('activity: every session, totals as ints, bools from ints', async () => {
    const client = new PyTautulliLike(web.url, keys.admin);
    const activity = await client.getActivity();
    expect(activity).toMatchObject({ stream_count: 3, stream_count_direct_play: 1, stream_count_direct_stream: 1, stream_count_transcode: 1, total_bandwidth: 24000, lan_bandwidth: 12000, wan_bandwidth: 12000 });
    const byTitle = new Map(activity.sessions.map((s) => [s.title, s]));
    expect([...byTitle.keys()].sort()).toEqual(['Alien', 'Dune', 'Ozymandias']);
    const dune = byTitle.get('Dune')!;
    expect(dune).toMatchObject({ user: 'alice', full_title: 'Dune', transcode_decision: 'transcode', bandwidth: 12000, location: 'wan', local: false, live: false, is_active: true });
    expect(byTitle.get('Ozymandias')).toMatchObject({ user: 'User 1', user_id: 1, local: true, full_title: 'Breaking Bad - Ozymandias' });
    for (const s of activity.sessions) {
      expect(Number.isInteger(s.session_key), `session_key of ${String(s.title)}`).toBe(true);
      expect(Number.isInteger(s.user_id)).toBe(true);
      expect(Number.isInteger(s.view_offset)).toBe(true);
      expect(typeof s.session_id).toBe('string');
    }
  });

  test('users and server info', async () => {
    const client = new PyTautulliLike(web.url, keys.admin);
    const users = await client.getUsers();
    expect(users.map((u) => u.username)).toEqual(expect.arrayContaining(['alice', 'bob', 'admin', 'User 1']));
    for (const u of users) {
      expect(Number.isInteger(u.user_id)).toBe(true);
      expect(typeof u.is_active).toBe('boolean');
      expect(typeof u.is_admin).toBe('boolean');
    }
    const info = await client.getServerInfo();
    expect(info).toMatchObject({ pms_name: 'Emby box', pms_ssl: false, pms_is_remote: false, pms_plexpass: false, pms_version: '10.9.0' });
  });

  test('home stats: the cards Home Assistant reads, with int counts', async () => {
    const client = new PyTautulliLike(web.url, keys.admin);
    const stats = await client.getHomeStats();
    const card = (id: string) => stats.find((s) => s.stat_id === id)!;
    expect(stats.map((s) => s.stat_id)).toEqual(expect.arrayContaining(['top_movies', 'top_tv', 'top_users', 'top_platforms']));
    expect(card('top_movies').rows[0]).toMatchObject({ title: 'Arrival', total_plays: 2 });
    // The polls above opened a play per live session too (Ozymandias: Breaking Bad).
    expect(card('top_tv').rows.map((r) => [r.title, r.total_plays])).toEqual(expect.arrayContaining([['Severance', 1], ['Breaking Bad', 1]]));
    const topUsers = card('top_users').rows.map((r) => [r.user, r.total_plays]);
    expect(topUsers.slice(0, 2)).toEqual([['alice', 3], ['bob', 2]]);
    expect(topUsers.slice(2)).toEqual(expect.arrayContaining([['admin', 1], ['User 1', 1]]));
    for (const s of stats) for (const r of s.rows) expect(r.total_plays === undefined || Number.isInteger(r.total_plays)).toBe(true);
  });

  test("a viewer's key: only their own sessions and plays", async () => {
    const client = new PyTautulliLike(web.url, keys.viewer);
    const activity = await client.getActivity();
    expect(activity.sessions.map((s) => s.user)).toEqual(['alice']);
    expect(activity.stream_count).toBe(1);
    const stats = await client.getHomeStats();
    expect(stats.find((s) => s.stat_id === 'top_users')!.rows.map((r) => r.user)).toEqual(['alice']);
    // Her finished plays and the one the poll opened for her live session; nobody else's.
    expect(stats.find((s) => s.stat_id === 'top_movies')!.rows.map((r) => r.title).sort()).toEqual(['Arrival', 'Dune']);
    expect((await client.getUsers()).map((u) => u.username)).toEqual(['alice']);
  });

  test('a wrong key: "Invalid apikey" with the status Tautulli sends, so the client fails as with Tautulli', async () => {
    // Tautulli's _api_run turns the 401 of _api_validate into 400: pytautulli reports a connection
    // failure, not an authentication failure, for a wrong key against Tautulli too.
    const client = new PyTautulliLike(web.url, 'mq_wrong');
    await expect(client.getActivity()).rejects.toThrow(ConnectionException);
    const res = await fetch(client.apiUrl('get_activity'));
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await res.json()).toEqual({ response: { result: 'error', message: 'Invalid apikey', data: {} } });
    // No apikey at all: Tautulli's message, not Marquee's 401 body, and no redirect to the sign-in page.
    const none = await fetch(`${web.url}/api/v2?cmd=get_activity`, { redirect: 'manual' });
    expect(none.status).toBe(400);
    expect(await none.json()).toEqual({ response: { result: 'error', message: 'Parameter apikey is required', data: {} } });
  });

  test("an unknown command: Tautulli's message", async () => {
    const client = new PyTautulliLike(web.url, keys.admin);
    const res = await fetch(client.apiUrl('get_nonsense'));
    expect(res.status).toBe(400);
    const body = (await res.json()) as { response: { result: string; message: string } };
    expect(body.response.result).toBe('error');
    expect(body.response.message).toMatch(/^Unknown command: get_nonsense\. Possible commands are: /);
  });

  test('POST with a form body through the front door', async () => {
    const res = await fetch(`${web.url}/api/v2`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ apikey: keys.admin, cmd: 'status' }).toString(),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ response: { result: 'success', message: 'Ok', data: {} } });
  });
});
