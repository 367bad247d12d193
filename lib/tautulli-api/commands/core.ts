// Tautulli's core commands: arnold, status, get_tautulli_info, the server commands, get_activity,
// users and libraries, terminate_session. Shapes are those of Tautulli's docstrings (webserve.py),
// with the JSON types Tautulli's code sends (numbers as strings where it sends strings).
import os from 'node:os';
import { db } from '../../db';
import { assertCan, can } from '../../auth/permissions';
import { terminateSession } from '../../servers/sessions';
import type { ProviderSession, StreamDecision } from '../../media-servers/types';
import { appVersion } from '../../version';
import { TautulliError, type TautulliCommand, type TautulliContext } from '../types';
import { TautulliReply } from '../envelope';
import { resolveTautulliId, tautulliIds } from '../ids';
import { contextServers, mediaUserLimit, playScope, seesMediaUser, type ContextServer } from '../scope';
import { dataTablesPage, dataTablesQuery, pageRows } from '../datatables';
import { BLANK_ACTIVITY_SESSION } from '../activity-template';

/** The Tautulli release whose API Marquee imitates (clients that check a minimum version read it). */
export const TAUTULLI_API_VERSION = 'v2.14.0';

const ARNOLD = [
  'To crush your enemies, see them driven before you, and to hear the lamentation of their women!',
  'Your clothes, give them to me, now!',
  'Do it!',
  'If it bleeds, we can kill it.',
  "I'll be back.",
  'Get to the chopper!',
  'Hasta La Vista, Baby!',
  "It's not a tumor!",
  'Come with me if you want to live.',
  'Put that cookie down! NOW!',
];

const isPlex = (s: { type: string }) => s.type === 'plex';
const SERVER_PLATFORM: Record<string, string> = { plex: 'Plex', jellyfin: 'Jellyfin', emby: 'Emby' };
const epoch = (d: Date | null | undefined) => (d ? Math.floor(d.getTime() / 1000) : null);

/** Tautulli's decision words: "direct play", "copy" (direct stream), "transcode". */
function decisionWord(d: StreamDecision | null | undefined): string {
  if (d === 'directplay') return 'direct play';
  if (d === 'directstream') return 'copy';
  if (d === 'transcode') return 'transcode';
  return '';
}

/** Marquee's "1080p"/"4K"/"SD" as Tautulli's video_full_resolution ("1080p", "4k", "sd") and video_resolution ("1080", "4k", "sd"). */
function resolutions(r: string | null | undefined): { full: string; short: string } {
  if (!r) return { full: '', short: '' };
  const lower = r.toLowerCase();
  if (lower === '4k' || lower === 'sd') return { full: lower, short: lower };
  return { full: lower, short: lower.replace(/p$/, '') };
}

function mediaTypeWord(t: string): string {
  return t === 'movie' || t === 'episode' || t === 'track' ? t : 'clip';
}

/** Tautulli's section_type (Plex's words) for a library type of any server. */
function sectionType(t: string | null): string {
  const v = (t ?? '').toLowerCase();
  if (v === 'movies' || v === 'movie') return 'movie';
  if (v === 'tvshows' || v === 'show' || v === 'series') return 'show';
  if (v === 'music' || v === 'artist') return 'artist';
  if (v === 'photos' || v === 'photo' || v === 'homevideos') return 'photo';
  return v;
}

function serverAddress(url: string): { host: string; port: number; ssl: boolean } {
  try {
    const u = new URL(url);
    const ssl = u.protocol === 'https:';
    return { host: u.hostname, port: u.port ? Number(u.port) : ssl ? 443 : 80, ssl };
  } catch {
    return { host: '', port: 0, ssl: false };
  }
}

/** The server a single-server command answers for: the one `server_id` names, else the first by name. */
async function firstServer(ctx: TautulliContext): Promise<ContextServer> {
  const [server] = await contextServers(ctx);
  if (!server) throw new TautulliError('No media server is visible to this API key.');
  return server;
}

// ---- get_activity ------------------------------------------------------------------------------

async function liveRows(ctx: TautulliContext) {
  // The live snapshot GET /api/sessions reads (lib/servers/sessions.ts listSessions), limited the same
  // way: enabled servers of the context (which only holds servers the owner may see), and for roles
  // without server access only their own media users' sessions.
  if (ctx.serverIds.length === 0) return [];
  const rows = await db.liveSession.findMany({
    where: { serverId: { in: ctx.serverIds }, server: { enabled: true } },
    include: { server: { select: { id: true, name: true, type: true } } },
    orderBy: [{ server: { name: 'asc' } }, { startedAt: 'asc' }],
  });
  const limit = mediaUserLimit(ctx);
  return rows.filter((r) => seesMediaUser(limit, r.serverId, (r.data as unknown as ProviderSession).mediaUserId));
}

type LiveRow = Awaited<ReturnType<typeof liveRows>>[number];

/** Integer ids for every (server, external id) of one kind among the rows. */
async function idsFor(kind: 'user' | 'item' | 'session', pairs: { server: { id: string; type: string }; ext: string | null }[]) {
  const byServer = new Map<string, { plex: boolean; ids: string[] }>();
  for (const p of pairs) {
    if (!p.ext) continue;
    const e = byServer.get(p.server.id) ?? { plex: isPlex(p.server), ids: [] };
    e.ids.push(p.ext);
    byServer.set(p.server.id, e);
  }
  const out = new Map<string, number>();
  for (const [serverId, e] of byServer) {
    for (const [ext, id] of await tautulliIds(kind, serverId, e.ids, e.plex)) out.set(`${serverId}:${ext}`, id);
  }
  return (serverId: string, ext: string | null) => (ext ? (out.get(`${serverId}:${ext}`) ?? null) : null);
}

function thumbPath(server: { type: string }, thumb: string | null): string {
  if (!thumb) return '';
  return isPlex(server) || thumb.startsWith('/') ? thumb : `/Items/${thumb}/Images/Primary`;
}

async function getActivity(ctx: TautulliContext) {
  const wantKey = ctx.params.str('session_key');
  const wantId = ctx.params.str('session_id');
  const rows = await liveRows(ctx);
  const data = (r: LiveRow) => r.data as unknown as ProviderSession;
  const [userId, itemId, sessionId] = await Promise.all([
    idsFor('user', rows.map((r) => ({ server: r.server, ext: data(r).mediaUserId }))),
    idsFor('item', rows.map((r) => ({ server: r.server, ext: data(r).itemId }))),
    idsFor('session', rows.map((r) => ({ server: r.server, ext: r.sessionKey }))),
  ]);

  const sessions = rows.map((r) => {
    const d = data(r);
    const sid = r.serverId;
    const uid = userId(sid, d.mediaUserId);
    const ratingKey = itemId(sid, d.itemId);
    const sessionKey = sessionId(sid, r.sessionKey);
    const source = resolutions(d.sourceResolution);
    const stream = resolutions(d.streamResolution);
    const hasVideo = d.sourceResolution !== null || d.videoDecision !== null;
    const range = hasVideo ? (d.hdr ? 'HDR' : 'SDR') : '';
    const transcode = decisionWord(d.decision);
    const video = decisionWord(d.videoDecision);
    const audio = decisionWord(d.audioDecision);
    const mediaType = mediaTypeWord(d.mediaType);
    const fullTitle = d.grandparentTitle && (mediaType === 'episode' || mediaType === 'track') ? `${d.grandparentTitle} - ${d.title}` : d.title;
    const progress = d.durationMs > 0 ? Math.min(100, Math.round((d.progressMs / d.durationMs) * 100)) : 0;
    const name = d.mediaUser ?? '';
    return {
      ...BLANK_ACTIVITY_SESSION,
      session_key: sessionKey === null ? '' : String(sessionKey),
      session_id: r.id,
      user: name,
      username: name,
      friendly_name: name,
      user_id: uid,
      full_title: fullTitle,
      title: d.title,
      grandparent_title: d.grandparentTitle ?? '',
      parent_title: mediaType === 'episode' && d.parentIndex !== null ? `Season ${d.parentIndex}` : '',
      media_index: d.index === null ? '' : String(d.index),
      parent_media_index: d.parentIndex === null ? '' : String(d.parentIndex),
      media_type: mediaType,
      rating_key: ratingKey === null ? '' : String(ratingKey),
      state: d.state,
      progress_percent: String(progress),
      view_offset: String(d.progressMs),
      duration: String(d.durationMs),
      stream_duration: String(d.durationMs),
      transcode_decision: transcode,
      container_decision: transcode === 'direct play' ? 'direct play' : transcode ? 'transcode' : '',
      stream_container_decision: transcode === 'direct play' ? 'direct play' : transcode ? 'transcode' : '',
      video_decision: video,
      stream_video_decision: video,
      audio_decision: audio,
      stream_audio_decision: audio,
      video_full_resolution: source.full,
      video_resolution: source.short,
      stream_video_full_resolution: stream.full,
      stream_video_resolution: stream.short,
      video_dynamic_range: range,
      stream_video_dynamic_range: range,
      bandwidth: String(d.bandwidthKbps),
      location: d.isLocal ? 'lan' : 'wan',
      local: d.isLocal ? 1 : 0,
      player: d.player ?? '',
      device: d.platform ?? '',
      platform: d.platform ?? '',
      product: d.product ?? '',
      ip_address: d.ipAddress ?? '',
      thumb: thumbPath(r.server, d.thumb),
      is_active: 1,
      // Beyond Tautulli (its multi-server forks add these): which server the session is on.
      server_id: r.serverId,
      server_name: r.server.name,
    };
  });

  if (wantKey !== undefined || wantId !== undefined) {
    // Tautulli answers one session (the object) when asked for a session_key or session_id, {} when none matches.
    return sessions.find((s) => (wantId !== undefined ? s.session_id === wantId : s.session_key === wantKey)) ?? {};
  }
  const count = (t: string) => sessions.filter((s) => s.transcode_decision === t).length;
  const bw = (pick: (s: (typeof sessions)[number]) => boolean) => sessions.filter(pick).reduce((sum, s) => sum + Number(s.bandwidth), 0);
  return {
    lan_bandwidth: bw((s) => s.location === 'lan'),
    sessions,
    stream_count: String(sessions.length),
    stream_count_direct_play: count('direct play'),
    stream_count_direct_stream: count('copy'),
    stream_count_transcode: count('transcode'),
    total_bandwidth: bw(() => true),
    wan_bandwidth: bw((s) => s.location !== 'lan'),
  };
}

// ---- users -------------------------------------------------------------------------------------

async function contextMediaUsers(ctx: TautulliContext) {
  const servers = await contextServers(ctx);
  const byId = new Map(servers.map((s) => [s.id, s]));
  const limit = mediaUserLimit(ctx);
  const rows = (
    await db.mediaUser.findMany({ where: { serverId: { in: [...byId.keys()] } }, orderBy: [{ name: 'asc' }, { id: 'asc' }] })
  ).filter((u) => seesMediaUser(limit, u.serverId, u.externalId));
  const ids = await idsFor('user', rows.map((u) => ({ server: byId.get(u.serverId)!, ext: u.externalId })));
  return rows.map((u) => ({ ...u, server: byId.get(u.serverId)!, tautulliId: ids(u.serverId, u.externalId)! }));
}
type ContextUser = Awaited<ReturnType<typeof contextMediaUsers>>[number];

function userBase(u: ContextUser) {
  return {
    allow_guest: 0,
    do_notify: 1,
    email: '',
    friendly_name: u.name,
    is_active: u.isDisabled ? 0 : 1,
    is_admin: u.isAdmin ? 1 : 0,
    is_allow_sync: 0,
    is_home_user: 0,
    is_restricted: 0,
    keep_history: 1,
    row_id: u.tautulliId,
    shared_libraries: [] as string[],
    user_id: u.tautulliId,
    username: u.name,
    server_id: u.serverId,
  };
}

/** Plays, watched seconds, last play of each (server, media user) in the call's scope. */
async function userPlayStats(ctx: TautulliContext) {
  const rows = await db.$queryRaw<
    { serverId: string; mediaUserId: string; plays: number; duration: number; last: Date | null; title: string | null; grandparentTitle: string | null; mediaType: string | null; parentIndex: number | null; index: number | null; player: string | null; platform: string | null; ipAddress: string | null; decision: string | null; itemKey: string | null }[]
  >`
    SELECT DISTINCT ON (p."serverId", p."mediaUserId") p."serverId", p."mediaUserId",
      (count(*) OVER w)::int AS plays, (sum(p."watchedS") OVER w)::int AS duration, p."startedAt" AS last,
      p."title", p."grandparentTitle", p."mediaType", p."parentIndex", p."index", p."player", p."platform", p."ipAddress", p."decision", p."itemKey"
    FROM "Play" p
    WHERE ${playScope(ctx)} AND p."mediaUserId" IS NOT NULL
    WINDOW w AS (PARTITION BY p."serverId", p."mediaUserId")
    ORDER BY p."serverId", p."mediaUserId", p."startedAt" DESC`;
  return new Map(rows.map((r) => [`${r.serverId}:${r.mediaUserId}`, r]));
}

const decisionOfPlay = (d: string | null) => decisionWord(d as StreamDecision | null);

async function getUsers(ctx: TautulliContext) {
  return (await contextMediaUsers(ctx)).map((u) => ({ ...userBase(u), thumb: '', filter_all: '', filter_movies: '', filter_music: '', filter_photos: '', filter_tv: '' }));
}

async function getUser(ctx: TautulliContext) {
  const raw = ctx.params.required('user_id');
  const id = ctx.params.int('user_id')!;
  const users = await contextMediaUsers(ctx);
  const targets = await resolveTautulliId('user', id, users.filter((u) => isPlex(u.server)).map((u) => u.serverId));
  const u = users.find((x) => targets.some((t) => t.serverId === x.serverId && t.externalId === x.externalId));
  if (!u) throw new TautulliError(`No user with user_id ${raw}.`);
  const stats = (await userPlayStats(ctx)).get(`${u.serverId}:${u.externalId}`);
  return { ...userBase(u), deleted_user: 0, last_seen: epoch(stats?.last), user_thumb: '' };
}

const USER_COLUMNS = ['user_thumb', 'friendly_name', 'last_seen', 'ip_address', 'platform', 'player', 'last_played', 'plays', 'duration'] as const;

async function getUsersTable(ctx: TautulliContext) {
  const q = dataTablesQuery(ctx.params, { orderColumn: 'friendly_name' });
  const [users, stats] = await Promise.all([contextMediaUsers(ctx), userPlayStats(ctx)]);
  const items = await idsFor('item', users.map((u) => ({ server: u.server, ext: stats.get(`${u.serverId}:${u.externalId}`)?.itemKey ?? null })));
  const rows = users.map((u) => {
    const s = stats.get(`${u.serverId}:${u.externalId}`);
    const mediaType = s?.mediaType ? mediaTypeWord(s.mediaType) : null;
    return {
      allow_guest: 0,
      do_notify: 1,
      duration: s?.duration ?? null,
      email: '',
      friendly_name: u.name,
      guid: '',
      history_row_id: null,
      ip_address: s?.ipAddress ?? null,
      is_active: u.isDisabled ? 0 : 1,
      keep_history: 1,
      last_played: s ? (s.grandparentTitle && (mediaType === 'episode' || mediaType === 'track') ? `${s.grandparentTitle} - ${s.title}` : s.title) : null,
      last_seen: epoch(s?.last),
      live: 0,
      media_index: s?.index ?? null,
      media_type: mediaType,
      originally_available_at: null,
      parent_media_index: s?.parentIndex ?? null,
      parent_title: '',
      platform: s?.platform ?? null,
      player: s?.player ?? null,
      plays: s?.plays ?? null,
      rating_key: items(u.serverId, s?.itemKey ?? null),
      row_id: u.tautulliId,
      thumb: null,
      title: s?.title ?? null,
      transcode_decision: s ? decisionOfPlay(s.decision) || null : null,
      user_id: u.tautulliId,
      user_thumb: '',
      username: u.name,
      year: null,
      server_id: u.serverId,
    };
  });
  const filtered = q.search ? rows.filter((r) => [r.friendly_name, r.username, r.last_played, r.platform, r.player, r.ip_address].some((v) => v?.toLowerCase().includes(q.search!.toLowerCase()))) : rows;
  return dataTablesPage(q, rows.length, filtered.length, pageRows(filtered, q, USER_COLUMNS));
}

// ---- libraries ---------------------------------------------------------------------------------

async function contextLibraries(ctx: TautulliContext) {
  const servers = await contextServers(ctx);
  const byId = new Map(servers.map((s) => [s.id, s]));
  const rows = await db.mediaLibrary.findMany({ where: { serverId: { in: [...byId.keys()] } }, orderBy: [{ name: 'asc' }, { id: 'asc' }] });
  const ids = new Map<string, number>();
  for (const s of servers) {
    const mine = rows.filter((l) => l.serverId === s.id).map((l) => l.externalId);
    for (const [ext, id] of await tautulliIds('library', s.id, mine, isPlex(s))) ids.set(`${s.id}:${ext}`, id);
  }
  return rows.map((l) => ({ ...l, server: byId.get(l.serverId)!, sectionId: ids.get(`${l.serverId}:${l.externalId}`)! }));
}

async function getLibraries(ctx: TautulliContext) {
  // Item counts are not synced: Tautulli sends "" for an attribute the server did not give.
  return (await contextLibraries(ctx)).map((l) => ({
    art: '',
    child_count: '',
    count: '',
    is_active: 1,
    parent_count: '',
    section_id: String(l.sectionId),
    section_name: l.name,
    section_type: sectionType(l.type),
    thumb: '',
    server_id: l.serverId,
  }));
}

const LIBRARY_COLUMNS = ['library_thumb', 'section_name', 'section_type', 'count', 'parent_count', 'child_count', 'last_accessed', 'last_played', 'plays', 'duration'] as const;

async function getLibrariesTable(ctx: TautulliContext) {
  const q = dataTablesQuery(ctx.params, { orderColumn: 'section_name' });
  const libs = await contextLibraries(ctx);
  const stats = await db.$queryRaw<
    { serverId: string; library: string; plays: number; duration: number; last: Date; title: string; grandparentTitle: string | null; mediaType: string; parentIndex: number | null; index: number | null; itemKey: string | null }[]
  >`
    SELECT DISTINCT ON (p."serverId", p."library") p."serverId", p."library",
      (count(*) OVER w)::int AS plays, (sum(p."watchedS") OVER w)::int AS duration, p."startedAt" AS last,
      p."title", p."grandparentTitle", p."mediaType", p."parentIndex", p."index", p."itemKey"
    FROM "Play" p
    WHERE ${playScope(ctx)} AND p."library" IS NOT NULL
    WINDOW w AS (PARTITION BY p."serverId", p."library")
    ORDER BY p."serverId", p."library", p."startedAt" DESC`;
  const byLib = new Map(stats.map((s) => [`${s.serverId}:${s.library}`, s]));
  const items = await idsFor('item', libs.map((l) => ({ server: l.server, ext: byLib.get(`${l.serverId}:${l.name}`)?.itemKey ?? null })));
  const rows = libs.map((l) => {
    const s = byLib.get(`${l.serverId}:${l.name}`);
    const mediaType = s ? mediaTypeWord(s.mediaType) : null;
    return {
      child_count: null,
      content_rating: null,
      count: null,
      do_notify: 1,
      do_notify_created: 1,
      duration: s?.duration ?? null,
      guid: null,
      histroy_row_id: null,
      is_active: 1,
      keep_history: 1,
      labels: [] as string[],
      last_accessed: epoch(s?.last),
      last_played: s ? (s.grandparentTitle && (mediaType === 'episode' || mediaType === 'track') ? `${s.grandparentTitle} - ${s.title}` : s.title) : null,
      library_art: '',
      library_thumb: '',
      live: 0,
      media_index: s?.index ?? null,
      media_type: mediaType,
      originally_available_at: null,
      parent_count: null,
      parent_media_index: s?.parentIndex ?? null,
      parent_title: '',
      plays: s?.plays ?? null,
      rating_key: items(l.serverId, s?.itemKey ?? null),
      row_id: l.sectionId,
      section_id: l.sectionId,
      section_name: l.name,
      section_type: sectionType(l.type),
      server_id: l.serverId,
      thumb: null,
      year: null,
    };
  });
  const filtered = q.search ? rows.filter((r) => [r.section_name, r.section_type, r.last_played].some((v) => v?.toLowerCase().includes(q.search!.toLowerCase()))) : rows;
  return dataTablesPage(q, rows.length, filtered.length, pageRows(filtered, q, LIBRARY_COLUMNS));
}

// ---- servers -----------------------------------------------------------------------------------

async function getServerInfo(ctx: TautulliContext) {
  const s = await firstServer(ctx);
  // The server's address is for those who manage servers; a viewer's key gets the name and version.
  const addr = can(ctx.actor, 'servers:view') ? serverAddress(s.url) : { host: '', port: 0, ssl: false };
  return {
    pms_identifier: s.machineId ?? s.id,
    pms_ip: addr.host,
    pms_is_remote: 0,
    pms_name: s.name,
    pms_platform: SERVER_PLATFORM[s.type] ?? s.type,
    pms_plexpass: 0,
    pms_port: addr.port,
    pms_ssl: addr.ssl ? 1 : 0,
    pms_url: can(ctx.actor, 'servers:view') ? s.url : '',
    pms_url_manual: 0,
    pms_version: s.version ?? '',
    server_id: s.id,
  };
}

async function getServersInfo(ctx: TautulliContext) {
  const showAddress = can(ctx.actor, 'servers:view');
  return (await contextServers(ctx)).map((s) => {
    const addr = showAddress ? serverAddress(s.url) : { host: '', port: 0 };
    return { port: addr.port ? String(addr.port) : '', host: addr.host, version: s.version ?? '', name: s.name, machine_identifier: s.machineId ?? s.id, server_id: s.id };
  });
}

// ---- terminate_session -------------------------------------------------------------------------

async function terminate(ctx: TautulliContext) {
  // As DELETE /api/sessions/{id}: roles that may never terminate are refused before the lookup.
  assertCan(ctx.actor, 'sessions:terminate');
  const key = ctx.params.str('session_key');
  const id = ctx.params.str('session_id');
  const message = ctx.params.str('message')?.trim().slice(0, 500) || undefined;
  if (!key && !id) throw new TautulliError('Failed to terminate session: Missing session_key or session_id.');
  let liveId: string | undefined;
  if (id) {
    liveId = (await db.liveSession.findFirst({ where: { id, serverId: { in: ctx.serverIds } }, select: { id: true } }))?.id;
  } else {
    const n = ctx.params.int('session_key')!;
    const servers = await contextServers(ctx);
    const targets = await resolveTautulliId('session', n, servers.filter(isPlex).map((s) => s.id));
    const rows = await db.liveSession.findMany({
      where: { OR: targets.filter((t) => ctx.serverIds.includes(t.serverId)).map((t) => ({ serverId: t.serverId, sessionKey: t.externalId })) },
      select: { id: true },
    });
    if (rows.length > 1) throw new TautulliError(`Failed to terminate session: session_key ${key} is playing on several servers; send session_id.`);
    liveId = rows[0]?.id;
  }
  if (!liveId) throw new TautulliError(`Failed to terminate session: Invalid session_key (${key ?? ''}) or session_id (${id ?? ''}).`);
  await terminateSession(ctx.actor, liveId, message, ctx.meta);
  return new TautulliReply({}, 'Session terminated.');
}

// ---- the list ----------------------------------------------------------------------------------

export const coreCommands: TautulliCommand[] = [
  { name: 'arnold', run: async () => ARNOLD[Math.floor(Math.random() * ARNOLD.length)] },
  { name: 'status', run: async () => new TautulliReply({}, 'Ok') },
  {
    name: 'get_tautulli_info',
    run: async () => ({
      tautulli_install_type: 'marquee',
      tautulli_version: TAUTULLI_API_VERSION,
      tautulli_branch: 'marquee',
      tautulli_commit: appVersion(),
      tautulli_platform: os.type(),
      tautulli_platform_release: os.release(),
      tautulli_platform_version: os.version(),
      tautulli_platform_linux_distro: '',
      tautulli_platform_device_name: 'Marquee',
      tautulli_python_version: process.version,
      marquee_version: appVersion(),
    }),
  },
  { name: 'get_server_info', run: getServerInfo },
  { name: 'get_servers_info', run: getServersInfo },
  { name: 'get_server_friendly_name', run: async (ctx) => (await firstServer(ctx)).name },
  { name: 'get_activity', run: getActivity },
  { name: 'get_users', run: getUsers },
  { name: 'get_user', run: getUser },
  { name: 'get_users_table', run: getUsersTable },
  { name: 'get_libraries', run: getLibraries },
  { name: 'get_libraries_table', run: getLibrariesTable },
  { name: 'terminate_session', run: terminate },
];
