// Shared set-up of the Tautulli history/stats/graph tests: two servers (Plex, Jellyfin), their users
// and libraries, and a known set of plays, written straight to PostgreSQL as the history recorder
// writes them. Calls go through the real /api/v2 and /api/history route handlers with API tokens.
import { db } from '@/lib/db';
import { encryptString } from '@/lib/crypto/encryption';
import * as v2Route from '@/app/api/v2/route';
import * as historyRoute from '@/app/api/history/route';
import * as analyticsRoute from '@/app/api/analytics/route';

export const PLEX = 'ta-plex';
export const JF = 'ta-jf';
export const BOB_ID = '6b1e0f3a9c2d4e5f8a7b6c5d4e3f2a1b';
export const JF_ITEM = 'f1e2d3c4b5a69788796a5b4c3d2e1f00';
export const JF_LIB = '0c9b8a7f6e5d4c3b2a19080706050403';

const DAY = 86_400_000;
const today = () => {
  const d = new Date();
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
};
/** `n` days before today (UTC) at `h` hours. */
export const at = (n: number, h: number) => new Date(today() - n * DAY + h * 3_600_000);
/** The UTC date `n` days before today, YYYY-MM-DD. */
export const dateOf = (n: number) => new Date(today() - n * DAY).toISOString().slice(0, 10);

interface P {
  server: typeof PLEX | typeof JF;
  user: 'alice' | 'carol' | 'bob';
  title: string;
  type: 'movie' | 'episode' | 'track';
  show?: string;
  season?: number;
  ep?: number;
  started: Date;
  watchedS: number;
  pausedS?: number;
  open?: boolean;
  decision: 'directplay' | 'directstream' | 'transcode';
  platform: string;
  library: string | null;
  itemKey: string;
  completed?: boolean;
  progressPct?: number;
  isLocal?: boolean;
}

const USERS = { alice: { server: PLEX, id: '101' }, carol: { server: PLEX, id: '102' }, bob: { server: JF, id: BOB_ID } } as const;

/** The plays every test reads (times relative to today, UTC). */
export const PLAYS: P[] = [
  { server: PLEX, user: 'alice', title: 'Heat', type: 'movie', started: at(2, 12), watchedS: 6000, pausedS: 120, decision: 'directplay', platform: 'Chrome', library: 'Movies', itemKey: '500', completed: true, progressPct: 95 },
  { server: PLEX, user: 'alice', title: 'Ozymandias', type: 'episode', show: 'Breaking Bad', season: 5, ep: 14, started: at(3, 20), watchedS: 2700, decision: 'transcode', platform: 'Roku', library: 'TV Shows', itemKey: '614', completed: true, progressPct: 97, isLocal: false },
  { server: PLEX, user: 'carol', title: 'Felina', type: 'episode', show: 'Breaking Bad', season: 5, ep: 16, started: at(1, 20), watchedS: 3000, decision: 'directstream', platform: 'Roku', library: 'TV Shows', itemKey: '616', progressPct: 60 },
  { server: PLEX, user: 'alice', title: 'Granite State', type: 'episode', show: 'Breaking Bad', season: 5, ep: 15, started: at(1, 20.25), watchedS: 2700, decision: 'directplay', platform: 'Chrome', library: 'TV Shows', itemKey: '615', completed: true, progressPct: 99 },
  { server: JF, user: 'bob', title: 'Pilot', type: 'episode', show: 'Severance', season: 1, ep: 1, started: at(5, 9), watchedS: 3200, decision: 'directplay', platform: 'Android', library: 'Shows', itemKey: JF_ITEM, completed: true, progressPct: 100 },
  { server: JF, user: 'bob', title: 'Heat', type: 'movie', started: at(4, 22), watchedS: 5000, decision: 'transcode', platform: 'Android', library: null, itemKey: 'aa00aa00aa00aa00aa00aa00aa00aa00', progressPct: 50 },
  { server: JF, user: 'bob', title: 'Song A', type: 'track', show: 'Band', season: 1, ep: 3, started: at(6, 8), watchedS: 200, decision: 'directplay', platform: 'Android', library: null, itemKey: 'bb00bb00bb00bb00bb00bb00bb00bb00', completed: true, progressPct: 100 },
  { server: PLEX, user: 'alice', title: 'Old Movie', type: 'movie', started: at(40, 12), watchedS: 4000, decision: 'directplay', platform: 'Chrome', library: 'Movies', itemKey: '400', completed: true, progressPct: 100 },
  { server: PLEX, user: 'carol', title: 'Gliding Over All', type: 'episode', show: 'Breaking Bad', season: 5, ep: 8, started: new Date(Date.now() - 600_000), watchedS: 0, open: true, decision: 'directplay', platform: 'Plex Web', library: 'TV Shows', itemKey: '608' },
];

export async function seed() {
  for (const [id, type] of [[PLEX, 'plex'], [JF, 'jellyfin']] as const) {
    await db.mediaServer.create({ data: { id, type, name: `${type} box`, url: `http://127.0.0.1:1/${type}`, tokenEnc: encryptString('t', undefined, `server:${id}`), health: 'ok' } });
  }
  for (const [name, u] of Object.entries(USERS)) await db.mediaUser.create({ data: { serverId: u.server, externalId: u.id, name } });
  await db.mediaLibrary.createMany({
    data: [
      { serverId: PLEX, externalId: '1', name: 'Movies', type: 'movie' },
      { serverId: PLEX, externalId: '2', name: 'TV Shows', type: 'show' },
      { serverId: JF, externalId: JF_LIB, name: 'Shows', type: 'tvshows' },
    ],
  });
  for (const p of PLAYS) {
    const paused = p.pausedS ?? 0;
    await db.play.create({
      data: {
        serverId: p.server, serverName: p.server === PLEX ? 'plex box' : 'jellyfin box', sessionKey: p.open ? '77' : null, itemKey: p.itemKey,
        mediaUserId: USERS[p.user].id, mediaUser: p.user, title: p.title, grandparentTitle: p.show ?? null, parentIndex: p.season ?? null, index: p.ep ?? null,
        mediaType: p.type, startedAt: p.started, stoppedAt: p.open ? null : new Date(p.started.getTime() + (p.watchedS + paused) * 1000),
        lastSeenAt: new Date(), pausedS: paused, pausedSince: p.open ? new Date(p.started.getTime() + 300_000) : null, watchedS: p.watchedS, durationS: 3600, progressPct: p.progressPct ?? null, completed: p.completed ?? false,
        decision: p.decision, player: `${p.platform} player`, platform: p.platform, product: 'Plex for Test', ipAddress: '10.0.0.2', isLocal: p.isLocal ?? true,
        library: p.library, source: 'poll',
      },
    });
  }
}

type Params = Record<string, string | number>;

/** A Tautulli API call through the real /api/v2 route. */
export async function v2(apikey: string, cmd: string, params: Params = {}) {
  const q = new URLSearchParams({ apikey, cmd, ...Object.fromEntries(Object.entries(params).map(([k, v]) => [k, String(v)])) });
  const res = await v2Route.GET(new Request(`http://localhost:3000/api/v2?${q}`));
  const body = (await res.json()) as { response: { result: string; message: string | null; data: unknown } };
  return { status: res.status, body, data: body.response.data };
}

export interface ApiPlay {
  id: string;
  title: string;
  startedAt: string;
  mediaUser: string;
}

/** Every play GET /api/history gives for `query`, following its cursors (`limit` per page). */
export async function historyPages(token: string, query: Params = {}, limit = 50): Promise<ApiPlay[][]> {
  const pages: ApiPlay[][] = [];
  let cursor: string | null = null;
  do {
    const q = new URLSearchParams({ ...Object.fromEntries(Object.entries(query).map(([k, v]) => [k, String(v)])), limit: String(limit), ...(cursor ? { cursor } : {}) });
    const res = await historyRoute.GET(new Request(`http://localhost:3000/api/history?${q}`, { headers: { authorization: `Bearer ${token}` } }), { params: Promise.resolve({}) });
    if (res.status !== 200) throw new Error(`GET /api/history ${q}: ${res.status} ${await res.text()}`);
    const body = (await res.json()) as { plays: ApiPlay[]; nextCursor: string | null };
    pages.push(body.plays);
    cursor = body.nextCursor;
  } while (cursor);
  return pages;
}

export interface TopRow {
  name: string;
  plays: number;
  watchTimeS: number;
}

/** GET /api/analytics's top lists for `query`. */
export async function analyticsTop(token: string, query: Params): Promise<Record<string, TopRow[]>> {
  const q = new URLSearchParams(Object.fromEntries(Object.entries(query).map(([k, v]) => [k, String(v)])));
  const res = await analyticsRoute.GET(new Request(`http://localhost:3000/api/analytics?${q}`, { headers: { authorization: `Bearer ${token}` } }), { params: Promise.resolve({}) });
  if (res.status !== 200) throw new Error(`GET /api/analytics ${q}: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { top: Record<string, TopRow[]> }).top;
}
