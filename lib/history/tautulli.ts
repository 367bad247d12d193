// Tautulli API v2 client (the calls an import needs) and the mapping of its history rows to plays.
// Tautulli sends many numbers as strings and many fields as null; every field is read leniently.
import { z } from 'zod';
import { AppError } from '../http/errors';

export const TAUTULLI_TIMEOUT_MS = 15_000;

const num = z
  .union([z.number(), z.string().trim().regex(/^-?\d+(\.\d+)?$/).transform(Number)])
  .nullish()
  .catch(null);
const str = z
  .union([z.string(), z.number().transform(String)])
  .transform((v) => (v === '' ? null : v))
  .nullish()
  .catch(null);

export const tautulliHistoryRow = z.looseObject({
  row_id: num,
  reference_id: num,
  id: num,
  date: num,
  started: num,
  stopped: num,
  paused_counter: num,
  play_duration: num,
  duration: num,
  percent_complete: num,
  watched_status: num,
  user: str,
  user_id: num,
  friendly_name: str,
  rating_key: str,
  media_type: str,
  title: str,
  full_title: str,
  grandparent_title: str,
  parent_media_index: num,
  media_index: num,
  transcode_decision: str,
  player: str,
  platform: str,
  product: str,
  ip_address: str,
  location: str,
  library_name: str,
});
export type TautulliHistoryRow = z.infer<typeof tautulliHistoryRow>;

export interface TautulliPage {
  total: number;
  rows: TautulliHistoryRow[];
}

function tautulliError(kind: 'url' | 'key' | 'not_tautulli' | 'unreachable', detail?: string): AppError {
  switch (kind) {
    case 'url':
      return new AppError('tautulli_invalid_url', 'That URL is not valid: use the address you open Tautulli at, e.g. http://tautulli:8181.', { status: 422 });
    case 'key':
      return new AppError('tautulli_invalid_key', 'Tautulli refused the API key: copy it from Tautulli → Settings → Web Interface → API key.', { status: 422 });
    case 'not_tautulli':
      return new AppError('tautulli_not_tautulli', 'Something answered at that URL, but it is not Tautulli (no Tautulli API at /api/v2).', { status: 422 });
    case 'unreachable':
      return new AppError('tautulli_unreachable', `Could not reach Tautulli at that URL${detail ? ` (${detail})` : ''}. Check the address and that Marquee can reach it.`, { status: 422 });
  }
}

/** One API call: `cmd` with params; the `data` of a successful envelope. */
export async function callTautulli(url: string, apiKey: string, cmd: string, params: Record<string, string | number> = {}, timeoutMs = TAUTULLI_TIMEOUT_MS): Promise<unknown> {
  let endpoint: URL;
  try {
    endpoint = new URL(url.replace(/\/+$/, '') + '/api/v2');
    if (!/^https?:$/.test(endpoint.protocol)) throw new Error('protocol');
  } catch {
    throw tautulliError('url');
  }
  endpoint.searchParams.set('apikey', apiKey);
  endpoint.searchParams.set('cmd', cmd);
  for (const [k, v] of Object.entries(params)) endpoint.searchParams.set(k, String(v));
  let res: Response;
  try {
    res = await fetch(endpoint, { signal: AbortSignal.timeout(timeoutMs), redirect: 'error' });
  } catch (err) {
    throw tautulliError('unreachable', (err as Error).name === 'TimeoutError' ? 'timed out' : undefined);
  }
  const text = await res.text();
  let body: { response?: { result?: string; message?: string | null; data?: unknown } };
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    // Tautulli answers JSON even to a wrong key: anything else is another server.
    throw tautulliError('not_tautulli');
  }
  const r = body?.response;
  if (!r || typeof r !== 'object' || !('result' in r)) throw tautulliError('not_tautulli');
  if (r.result !== 'success') {
    if (/api ?key/i.test(r.message ?? '') || res.status === 401) throw tautulliError('key');
    throw new AppError('tautulli_error', `Tautulli answered with an error: ${r.message ?? 'unknown'}.`, { status: 422 });
  }
  return r.data;
}

/** The Plex server Tautulli watches, proving URL and key (used when saving a connection). */
export async function getTautulliServerInfo(url: string, apiKey: string): Promise<{ identifier: string | null; name: string | null }> {
  const data = (await callTautulli(url, apiKey, 'get_server_info')) as Record<string, unknown> | null;
  return { identifier: typeof data?.pms_identifier === 'string' ? data.pms_identifier : null, name: typeof data?.pms_name === 'string' ? data.pms_name : null };
}

export async function getTautulliUsers(url: string, apiKey: string): Promise<{ userId: string; name: string }[]> {
  const data = await callTautulli(url, apiKey, 'get_users');
  const list = Array.isArray(data) ? data : [];
  return list.flatMap((u: Record<string, unknown>) => {
    const id = u.user_id ?? null;
    if (id === null || id === undefined) return [];
    return [{ userId: String(id), name: String(u.friendly_name ?? u.username ?? id) }];
  });
}

/** A page of get_history, newest first. */
export async function getTautulliHistory(url: string, apiKey: string, start: number, length: number): Promise<TautulliPage> {
  const data = (await callTautulli(url, apiKey, 'get_history', { start, length, order_column: 'date', order_dir: 'desc' })) as
    | { recordsFiltered?: unknown; recordsTotal?: unknown; data?: unknown[] }
    | null;
  const rows = (Array.isArray(data?.data) ? data.data : []).map((r) => tautulliHistoryRow.parse(r ?? {}));
  const total = Number(data?.recordsFiltered ?? data?.recordsTotal ?? 0) || 0;
  return { total, rows };
}

/** Tautulli's stream decision words → ours. */
export function decisionOf(v: string | null | undefined): string | null {
  if (!v) return null;
  const s = v.toLowerCase().replace(/\s+/g, '');
  if (s === 'directplay') return 'directplay';
  if (s === 'copy' || s === 'directstream') return 'directstream';
  if (s === 'transcode') return 'transcode';
  return null;
}

/** The key an imported row is stored under: each Tautulli row once. */
export const importKeyOf = (row: TautulliHistoryRow) => `tautulli:${row.row_id ?? row.id ?? row.reference_id}`;
