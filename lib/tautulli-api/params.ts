// Tautulli's lenient parameters (TautulliParams): every value arrives as text, from the query string
// or a POST body (form-urlencoded or JSON). Ints accept "10", "10.0" and 10; bools Tautulli's truthy
// strings (helpers.bool_true: "1", "true", "True", "yes", "on", …).
import { TautulliError, type TautulliParams } from './types';

const TRUE = new Set(['1', 'true', 'yes', 'on', 't', 'y']);
const FALSE = new Set(['0', 'false', 'no', 'off', 'f', 'n', '']);

/** Turns any JSON body value into the text Tautulli would have received. */
function asText(v: unknown): string | undefined {
  if (v === null || v === undefined) return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

/** The request's parameters: the query string, then the body (a body value wins). */
export async function readTautulliParams(req: Request): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const [k, v] of new URL(req.url).searchParams) out.set(k, v);
  if (req.method !== 'POST') return out;
  const type = (req.headers.get('content-type') ?? '').toLowerCase();
  const text = await req.text();
  if (!text.trim()) return out;
  if (type.includes('application/json')) {
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new TautulliError('The request body is not valid JSON.');
    }
    if (body && typeof body === 'object' && !Array.isArray(body)) {
      for (const [k, v] of Object.entries(body as Record<string, unknown>)) {
        const s = asText(v);
        if (s !== undefined) out.set(k, s);
      }
    }
    return out;
  }
  // Tautulli's clients post forms; anything that is not JSON is read as one.
  for (const [k, v] of new URLSearchParams(text)) out.set(k, v);
  return out;
}

export function tautulliParams(values: ReadonlyMap<string, string>): TautulliParams {
  const str = (name: string) => {
    const v = values.get(name);
    return v === undefined || v === '' ? undefined : v;
  };
  return {
    str,
    int(name) {
      const v = str(name)?.trim();
      if (v === undefined) return undefined;
      const n = Number(v);
      if (!Number.isFinite(n) || !/^[+-]?\d+(\.\d*)?$/.test(v)) throw new TautulliError(`Parameter ${name} must be an integer.`);
      return Math.trunc(n);
    },
    bool(name) {
      const v = values.get(name);
      if (v === undefined) return undefined;
      const t = v.trim().toLowerCase();
      if (TRUE.has(t)) return true;
      if (FALSE.has(t)) return false;
      return undefined;
    },
    required(name) {
      const v = str(name);
      if (v === undefined) throw new TautulliError(`Parameter ${name} is required.`);
      return v;
    },
  };
}
