// A fake Tautulli (API v2): get_server_info, get_users and get_history over `rowCount` generated rows
// shaped like the documented get_history response (tests/fixtures/tautulli/get_history_docstring.json):
// numbers that Tautulli sends as strings stay strings, session_key/state stay null.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeTautulliOptions {
  apiKey?: string;
  rowCount?: number;
  /** The Plex server Tautulli watches (matches MediaServer.machineId of a Plex server). */
  pmsIdentifier?: string;
  users?: { userId: number; name: string }[];
}

const T0 = Date.UTC(2024, 0, 1) / 1000;

export class FakeTautulli {
  readonly apiKey: string;
  rowCount: number;
  readonly pmsIdentifier: string;
  readonly users: { userId: number; name: string }[];
  /** get_history calls, for "only new rows were pulled" assertions. */
  readonly historyCalls: { start: number; length: number }[] = [];
  url = '';
  private server: Server | null = null;

  constructor(opts: FakeTautulliOptions = {}) {
    this.apiKey = opts.apiKey ?? 'tautulli-key';
    this.rowCount = opts.rowCount ?? 100;
    this.pmsIdentifier = opts.pmsIdentifier ?? 'unique_id_123';
    this.users = opts.users ?? [
      { userId: 8008135, name: 'DanyKhaleesi69' },
      { userId: 1, name: 'alice' },
      { userId: 2, name: 'bob' },
    ];
  }

  /** Row `id` (1 = oldest), as get_history returns it. */
  row(id: number): Record<string, unknown> {
    const user = this.users[id % this.users.length]!;
    const started = T0 + id * 600;
    const paused = id % 7 === 0 ? 30 : 0;
    const playDuration = 240 + (id % 50);
    const episode = id % 3 !== 0;
    return {
      date: started, friendly_name: user.name, full_title: episode ? `Game of Thrones - Episode ${id}` : `Movie ${id}`,
      grandparent_rating_key: episode ? 351 : '', grandparent_title: episode ? 'Game of Thrones' : '', original_title: '',
      group_count: 1, group_ids: String(id), guid: `com.plexapp.agents.thetvdb://121361/6/${id}?lang=en`, ip_address: `10.0.${id % 250}.${id % 200}`,
      live: 0, location: id % 2 ? 'wan' : 'lan', machine_id: 'lmd93nkn12k29j2lnm', media_index: episode ? String(id % 10) : '', media_type: episode ? 'episode' : 'movie',
      originally_available_at: '2016-04-24', parent_media_index: episode ? String(1 + (id % 8)) : '', parent_rating_key: episode ? 544 : '', parent_title: '',
      paused_counter: String(paused), percent_complete: id % 4 === 0 ? 95 : 40, platform: 'Windows', play_duration: String(playDuration),
      product: 'Plex for Windows', player: 'Castle-PC', rating_key: String(4000 + id), reference_id: id, relayed: 0, row_id: id, secure: 1,
      session_key: null, started: String(started), state: null, stopped: started + playDuration + paused,
      thumb: `/library/metadata/${4000 + id}/thumb/1462414561`, title: episode ? `Episode ${id}` : `Movie ${id}`,
      transcode_decision: ['transcode', 'direct play', 'copy'][id % 3], user: user.name, user_id: user.userId,
      watched_status: id % 4 === 0 ? 1 : 0, year: 2016,
    };
  }

  private answer(params: URLSearchParams): { status: number; body: unknown } {
    if (params.get('apikey') !== this.apiKey) return { status: 401, body: { response: { result: 'error', message: 'Invalid apikey', data: {} } } };
    const ok = (data: unknown) => ({ status: 200, body: { response: { result: 'success', message: null, data } } });
    switch (params.get('cmd')) {
      case 'get_server_info':
        return ok({ pms_identifier: this.pmsIdentifier, pms_ip: '127.0.0.1', pms_is_remote: 0, pms_name: 'Fake Plex', pms_platform: 'Linux', pms_plexpass: 1, pms_port: 32400, pms_ssl: 0, pms_url: 'http://127.0.0.1:32400', pms_url_manual: 0, pms_version: '1.40.0' });
      case 'get_users':
        return ok(this.users.map((u) => ({ user_id: u.userId, username: u.name, friendly_name: u.name, email: `${u.name}@example.test`, is_active: 1, is_admin: 0, thumb: '' })));
      case 'get_history': {
        const start = Math.max(0, Number(params.get('start') ?? 0) || 0);
        const length = Math.max(1, Math.min(10_000, Number(params.get('length') ?? 25) || 25));
        const asc = params.get('order_dir') === 'asc';
        this.historyCalls.push({ start, length });
        const data: Record<string, unknown>[] = [];
        for (let i = start; i < Math.min(this.rowCount, start + length); i++) data.push(this.row(asc ? i + 1 : this.rowCount - i));
        return ok({ draw: 1, recordsTotal: this.rowCount, recordsFiltered: this.rowCount, total_duration: '42 days 5 hrs 18 mins', filter_duration: '10 hrs 12 mins', data });
      }
      default:
        return { status: 200, body: { response: { result: 'error', message: `Unknown command: ${params.get('cmd')}`, data: {} } } };
    }
  }

  async listen(port = 0, host = '127.0.0.1'): Promise<string> {
    this.server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      if (url.pathname.replace(/\/+$/, '') !== '/api/v2') {
        res.writeHead(404, { 'content-type': 'text/html' }).end('<html>Not Found</html>');
        return;
      }
      const { status, body } = this.answer(url.searchParams);
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    });
    await new Promise<void>((resolve) => this.server!.listen(port, host, resolve));
    this.url = `http://${host}:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
