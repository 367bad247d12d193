// Fake Plex Media Server (plus the plex.tv sharing endpoints): XML, `X-Plex-Token` header or query.
// Identity, capabilities, accounts and sections are the fixtures; sessions are rendered from the
// Home Assistant session fixture with the test's values filled in.
import type { IncomingMessage } from 'node:http';
import { XMLBuilder, XMLParser } from 'fast-xml-parser';
import { FakeMediaServer, PNG, fixture, unauthorized, xml, type FakeSession } from './core';

// Fixture JSON/XML trees are edited in place; typing every nested key would add nothing.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Obj = Record<string, any>;
const opts = { ignoreAttributes: false, attributeNamePrefix: '@_', parseAttributeValue: false, parseTagValue: false };
const parser = new XMLParser(opts);
const builder = new XMLBuilder({ ...opts, suppressEmptyNode: true });
const MACHINE_ID = 'unique_id_123';

const resLabel = (h: number) => (h >= 2000 ? '4k' : h >= 1000 ? '1080' : h >= 700 ? '720' : 'sd');
/** The video stream's displayTitle, as Plex words it for the source file. */
const displayTitle = (s: FakeSession) => {
  const res = s.sourceHeight >= 2000 ? '4K' : s.sourceHeight >= 1000 ? '1080p' : s.sourceHeight >= 700 ? '720p' : 'SD';
  if (s.hdr === 'DV') return `${res} DoVi/HDR10 (HEVC Main 10)`;
  if (s.hdr) return `${res} ${s.hdr} (HEVC Main 10)`;
  return s.sourceHeight >= 2000 ? `${res} (HEVC Main 10)` : `${res} (H.264)`;
};
const rkOf = (s: FakeSession) => s.id.replace(/\W/g, '').slice(-8);

/** A plex.tv account (what GET /api/v2/user answers for its tokens). */
export interface FakePlexAccount {
  id: number;
  username: string;
  email?: string;
}

export interface FakePlexPin {
  id: number;
  code: string;
  clientIdentifier: string;
  authToken: string | null;
  expiresAt: string;
}

export class FakePlex extends FakeMediaServer {
  readonly type = 'plex' as const;
  readonly machineId = MACHINE_ID;
  /** plex.tv: PINs by id (POST /api/v2/pins; linkPin stands in for the person at app.plex.tv/auth). */
  readonly pins = new Map<number, FakePlexPin>();
  /** plex.tv: auth token → account (GET /api/v2/user). The server's own token is the owner's. */
  readonly accounts = new Map<string, FakePlexAccount>();
  private nextPinId = 1000;
  constructor(token = 'plex-token', owner: FakePlexAccount = { id: 8_000_001, username: 'owner', email: 'owner@example.test' }) {
    super(token);
    this.accounts.set(token, owner);
  }

  /** The person signs in at app.plex.tv/auth and approves `pin` as this account; returns the token plex.tv issued. */
  linkPin(pinId: number, account: FakePlexAccount): string {
    const pin = this.pins.get(pinId);
    if (!pin) throw new Error(`no PIN ${pinId}`);
    const token = `plex-user-${account.id}-${Math.random().toString(36).slice(2, 10)}`;
    this.accounts.set(token, account);
    pin.authToken = token;
    return token;
  }

  /** plex.tv's JSON API (/api/v2): PINs and the account behind a token. Null for other paths. */
  private plexTv(req: IncomingMessage, url: URL) {
    const method = req.method ?? 'GET';
    const path = url.pathname;
    const client = req.headers['x-plex-client-identifier'];
    const out = (data: unknown, status = 200) => ({ status, type: 'application/json; charset=utf-8', body: JSON.stringify(data) });
    if (path === '/api/v2/pins' && method === 'POST') {
      if (typeof client !== 'string' || !client) return out({ errors: [{ code: 1000, message: 'X-Plex-Client-Identifier is missing', status: 400 }] }, 400);
      const id = this.nextPinId++;
      const strong = url.searchParams.get('strong') === 'true';
      const code = strong ? Math.random().toString(36).slice(2, 14) + Math.random().toString(36).slice(2, 14) : Math.random().toString(36).slice(2, 6).toUpperCase();
      const pin: FakePlexPin = { id, code, clientIdentifier: client, authToken: null, expiresAt: new Date(Date.now() + 1800_000).toISOString() };
      this.pins.set(id, pin);
      return out(this.renderPin(pin), 201);
    }
    const pinPath = /^\/api\/v2\/pins\/(\d+)$/.exec(path);
    if (pinPath && method === 'GET') {
      const pin = this.pins.get(Number(pinPath[1]));
      // plex.tv only answers the client that created the PIN.
      if (!pin || pin.clientIdentifier !== client) return out({ errors: [{ code: 1020, message: 'Code not found or expired', status: 404 }] }, 404);
      return out(this.renderPin(pin));
    }
    if (path === '/api/v2/user' && method === 'GET') {
      const token = req.headers['x-plex-token'] ?? url.searchParams.get('X-Plex-Token');
      const account = typeof token === 'string' ? this.accounts.get(token) : undefined;
      if (!account) return out({ errors: [{ code: 1001, message: 'User could not be authenticated', status: 401 }] }, 401);
      return out({ id: account.id, uuid: `uuid-${account.id}`, username: account.username, title: account.username, email: account.email ?? `${account.username}@example.test`, authToken: token });
    }
    return null;
  }

  private renderPin(pin: FakePlexPin) {
    return {
      id: pin.id, code: pin.code, product: 'Marquee', trusted: false, qr: `https://plex.tv/api/v2/pins/qr/${pin.code}`, clientIdentifier: pin.clientIdentifier,
      location: { code: 'US', country: 'United States' }, expiresIn: 1800, createdAt: new Date().toISOString(), expiresAt: pin.expiresAt,
      authToken: pin.authToken, newRegistration: null,
    };
  }

  protected isAuthorized(req: IncomingMessage, url: URL): boolean {
    return (req.headers['x-plex-token'] ?? url.searchParams.get('X-Plex-Token')) === this.token;
  }

  /**
   * A session as /status/sessions shows it, like real Plex: while the video is transcoded, Media and
   * the video Stream describe the transcoder's output and only the stream's displayTitle names the
   * source (see sessions_transcode_hevc_to_h264_plexopedia.xml); /library/metadata/{ratingKey}
   * (`renderMetadata`) has the source.
   */
  renderSession(s: FakeSession): Obj {
    const v = this.renderItem(s);
    const rk = rkOf(s);
    v.Player = { ...v.Player, '@_address': s.ipAddress, '@_title': s.player, '@_state': s.state, '@_local': s.ipAddress.startsWith('192.168.') ? '1' : '0' };
    v.User = { ...v.User, '@_id': s.userId, '@_title': s.user };
    v.Session = { '@_id': s.id, '@_bandwidth': String(s.bandwidthKbps), '@_location': s.ipAddress.startsWith('192.168.') ? 'lan' : 'wan' };
    const media = v.Media as Obj;
    const part = media.Part as Obj;
    const [video, audio] = part.Stream as Obj[];
    media['@_bitrate'] = String(s.bandwidthKbps);
    const vDecision = s.decision === 'transcode' ? (s.streamHeight !== s.sourceHeight || s.hdr ? 'transcode' : 'copy') : s.decision === 'directstream' ? 'copy' : 'directplay';
    const aDecision = s.decision === 'transcode' ? 'transcode' : s.decision === 'directstream' ? 'copy' : 'directplay';
    part['@_decision'] = s.decision === 'directplay' ? 'directplay' : s.decision === 'directstream' ? 'copy' : 'transcode';
    video!['@_decision'] = vDecision;
    audio!['@_decision'] = aDecision;
    if (vDecision === 'transcode') {
      const out = { '@_height': String(s.streamHeight), '@_width': String(Math.round((s.streamHeight * 16) / 9)) };
      Object.assign(media, out, { '@_videoResolution': resLabel(s.streamHeight), '@_videoCodec': 'h264', '@_protocol': 'dash' });
      Object.assign(part, out, { '@_protocol': 'dash' });
      Object.assign(video!, out, { '@_codec': 'h264', '@_location': 'segments-video' });
      delete video!['@_colorTrc'];
      delete video!['@_DOVIPresent'];
    }
    if (s.decision === 'transcode') {
      v.TranscodeSession = {
        '@_key': `/transcode/sessions/${rk}`, '@_videoDecision': vDecision, '@_audioDecision': aDecision,
        '@_sourceVideoCodec': s.sourceHeight >= 2000 || s.hdr ? 'hevc' : 'h264', '@_videoCodec': vDecision === 'transcode' ? 'h264' : 'copy',
        '@_width': String(Math.round((s.streamHeight * 16) / 9)), '@_height': String(s.streamHeight), '@_throttled': '0', '@_progress': '10',
      };
    }
    return v;
  }

  /** The library item behind a session, with its source Media (what /library/metadata/{ratingKey} answers). */
  private renderItem(s: FakeSession): Obj {
    const template = parser.parse(fixture('plex', 'sessions_transcode_audio_ha.xml')) as Obj;
    const v = structuredClone(template.MediaContainer.Video) as Obj;
    const rk = rkOf(s);
    Object.assign(v, {
      '@_sessionKey': rk, '@_ratingKey': rk, '@_key': `/library/metadata/${rk}`, '@_title': s.title,
      '@_type': s.mediaType, '@_viewOffset': String(s.progressMs), '@_duration': String(s.durationMs),
      '@_thumb': `/library/metadata/${rk}/thumb/1`,
    });
    if (s.mediaType === 'episode') {
      Object.assign(v, { '@_grandparentTitle': s.grandparentTitle, '@_parentIndex': String(s.season), '@_index': String(s.episode), '@_grandparentThumb': `/library/metadata/${rk}0/thumb/1` });
    }
    const media = v.Media as Obj;
    const part = media.Part as Obj;
    const [video, audio] = part.Stream as Obj[];
    const size = { '@_height': String(s.sourceHeight), '@_width': String(Math.round((s.sourceHeight * 16) / 9)) };
    Object.assign(media, size, { '@_videoResolution': resLabel(s.sourceHeight), '@_videoCodec': s.sourceHeight >= 2000 || s.hdr ? 'hevc' : 'h264' });
    Object.assign(part, size);
    Object.assign(video!, size, { '@_displayTitle': displayTitle(s), '@_extendedDisplayTitle': displayTitle(s) });
    if (s.hdr) {
      video!['@_colorTrc'] = 'smpte2084';
      if (s.hdr === 'DV') video!['@_DOVIPresent'] = '1';
    }
    if (s.mediaType === 'track') {
      part.Stream = [audio];
      delete media['@_videoResolution']; delete media['@_videoCodec']; delete media['@_height']; delete media['@_width'];
    }
    return v;
  }

  private renderMetadata(rk: string): string | null {
    const s = [...this.sessions.values()].find((x) => rkOf(x) === rk);
    if (!s) return null;
    const v = this.renderItem(s);
    for (const k of ['@_sessionKey', '@_viewOffset']) delete v[k];
    for (const k of ['Player', 'User', 'Session', 'TranscodeSession']) delete v[k];
    const part = (v.Media as Obj).Part as Obj;
    delete part['@_decision'];
    for (const st of [part.Stream].flat() as Obj[]) { delete st['@_decision']; delete st['@_location']; }
    const tag = s.mediaType === 'track' ? 'Track' : 'Video';
    return `<?xml version="1.0" encoding="UTF-8"?>\n${builder.build({ MediaContainer: { '@_size': '1', [tag]: v } })}`;
  }

  private sharedServersXml(): string {
    const users = ['1000', '1001'];
    const sections = ['1', '2', '3'];
    const servers = users.map((uid, i) => {
      const a = this.access.get(uid) ?? { allLibraries: false, libraryIds: ['1'] };
      const secs = sections.map((k) => `<Section id="${100 + Number(k)}" key="${k}" title="Section ${k}" type="movie" shared="${a.allLibraries || a.libraryIds.includes(k) ? 1 : 0}"/>`).join('');
      return `<SharedServer id="${500 + i}" username="User ${uid}" userID="${uid}" accessToken="x" name="plex" machineIdentifier="${MACHINE_ID}" allLibraries="${a.allLibraries ? 1 : 0}" owned="0" pending="0">${secs}</SharedServer>`;
    });
    return `<?xml version="1.0" encoding="UTF-8"?>\n<MediaContainer friendlyName="myPlex" identifier="com.plexapp.plugins.myplex" machineIdentifier="${MACHINE_ID}" size="${servers.length}">${servers.join('')}</MediaContainer>`;
  }

  protected handle(req: IncomingMessage, url: URL, body: string, authorized: boolean) {
    const method = req.method ?? 'GET';
    const path = url.pathname;
    if (path === '/identity') {
      return xml(fixture('plex', 'identity_plexdlweb.xml').replace(/machineIdentifier="[^"]*"/, `machineIdentifier="${MACHINE_ID}"`));
    }
    if (path.startsWith('/api/v2/')) return this.plexTv(req, url);
    if (!authorized) return unauthorized();
    if (path === '/' && method === 'GET') return xml(fixture('plex', 'root_server_capabilities_ha.xml'));
    if (path === '/status/sessions') {
      const videos = [...this.sessions.values()].map((s) => this.renderSession(s));
      const tracks = videos.filter((v) => v['@_type'] === 'track');
      const others = videos.filter((v) => v['@_type'] !== 'track');
      return xml(`<?xml version="1.0" encoding="UTF-8"?>\n${builder.build({ MediaContainer: { '@_size': String(videos.length), Video: others, Track: tracks } })}`);
    }
    if (path === '/status/sessions/terminate') {
      const id = url.searchParams.get('sessionId') ?? '';
      if (!this.sessions.has(id)) return { status: 404, type: 'text/html', body: 'Not Found' };
      this.record({ kind: 'terminate', sessionId: id, message: url.searchParams.get('reason') ?? undefined });
      this.sessions.delete(id);
      return { status: 200, type: 'text/html', body: '' };
    }
    if (path === '/accounts') return xml(fixture('plex', 'accounts_ha.xml'));
    if (path === '/library/sections') return xml(fixture('plex', 'library_sections_ha.xml'));
    const refresh = /^\/library\/sections\/([^/]+)\/refresh$/.exec(path);
    if (refresh) {
      const scanned = url.searchParams.get('path') ?? undefined;
      this.record({ kind: 'scan', libraryId: refresh[1], path: scanned, body: { call: scanned ? 'partial' : 'section' } });
      return { status: 200, type: 'text/html', body: '' };
    }
    if (path === `/api/servers/${MACHINE_ID}/shared_servers` && method === 'GET') return xml(this.sharedServersXml());
    const share = new RegExp(`^/api/servers/${MACHINE_ID}/shared_servers/(\\d+)$`).exec(path);
    if (share && method === 'PUT') {
      const userId = String(Number(share[1]) - 500 === 0 ? '1000' : '1001');
      const parsed = JSON.parse(body) as { shared_server?: { library_section_ids?: number[] } };
      // plex.tv takes its own section ids (Section@id), not the server's library keys (Section@key).
      const ids = parsed.shared_server?.library_section_ids ?? [];
      const keys = ids.map((sid) => ['1', '2', '3'].find((k) => 100 + Number(k) === Number(sid)));
      if (keys.some((k) => k === undefined)) return { status: 400, type: 'application/json', body: JSON.stringify({ errors: [{ code: 1000, message: 'Invalid library section id' }] }) };
      this.access.set(userId, { allLibraries: false, libraryIds: keys as string[] });
      this.record({ kind: 'library-access', userId, body: parsed });
      return xml(this.sharedServersXml());
    }
    if (method === 'GET' && /^\/library\/metadata\/[^/]+\/thumb/.test(path)) return { status: 200, type: 'image/png', body: PNG };
    const metadata = /^\/library\/metadata\/([^/]+)$/.exec(path);
    if (metadata && method === 'GET') {
      this.record({ kind: 'metadata', itemId: metadata[1] });
      const body = this.renderMetadata(metadata[1]!);
      return body ? xml(body) : { status: 404, type: 'text/html', body: 'Not Found' };
    }
    return null;
  }
}
