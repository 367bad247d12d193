// Tautulli API contract checks: our response must have every key of Tautulli's documented example,
// each with the same JSON type (Tautulli's clients parse its quirks: numbers sent as strings stay
// strings). Arrays are checked element by element against the example's first element.
import fs from 'node:fs';
import path from 'node:path';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

const kind = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

export interface ContractOptions {
  /** Paths (dotted, `[]` for array elements: "sessions[].thumb") that may be null where the example has a value. */
  nullable?: string[];
  /** Paths whose example value is null: any type is accepted there unless listed here, then only null. */
  strictNull?: string[];
  /**
   * Paths where Tautulli's code sends another JSON type than its docstring shows (say why in the test):
   * the type expected there instead of the example's.
   */
  types?: Record<string, 'string' | 'number' | 'boolean' | 'array' | 'object'>;
}

/** Every difference between `actual` and the documented `example`: missing keys and changed JSON types. */
export function contractDiff(actual: unknown, example: Json, opts: ContractOptions = {}, at = ''): string[] {
  const nullable = new Set(opts.nullable ?? []);
  const strictNull = new Set(opts.strictNull ?? []);
  const got = kind(actual);
  const override = opts.types?.[at];
  if (override) {
    if (got === 'null' && nullable.has(at)) return [];
    return got === override ? [] : [`${at || '<root>'}: expected ${override}, got ${got}`];
  }
  const want = kind(example);
  if (want === 'null') return strictNull.has(at) && got !== 'null' ? [`${at || '<root>'}: expected null, got ${got}`] : [];
  if (got === 'null' && nullable.has(at)) return [];
  if (want !== got) return [`${at || '<root>'}: expected ${want}, got ${got}`];
  if (want === 'array') {
    const ex = (example as Json[])[0];
    if (ex === undefined) return [];
    return (actual as unknown[]).flatMap((el) => contractDiff(el, ex, opts, `${at}[]`));
  }
  if (want === 'object') {
    const out: string[] = [];
    for (const [k, v] of Object.entries(example as Record<string, Json>)) {
      const p = at ? `${at}.${k}` : k;
      if (!(k in (actual as object))) out.push(`${p}: missing`);
      else out.push(...contractDiff((actual as Record<string, unknown>)[k], v, opts, p));
    }
    return out;
  }
  return [];
}

/**
 * A documented example: `tests/fixtures/tautulli/<name>.json`, else `shared/fixtures/tautulli/<name>.json`
 * next to the checkout (the main checkout's parent, or a worktree's grandparent).
 */
export function tautulliExample(name: string): Json {
  const candidates = [
    path.resolve(__dirname, '../fixtures/tautulli', `${name}.json`),
    path.resolve(__dirname, '../../../shared/fixtures/tautulli', `${name}.json`),
    path.resolve(__dirname, '../../../../shared/fixtures/tautulli', `${name}.json`),
  ];
  const file = candidates.find((f) => fs.existsSync(f)) ?? candidates[0]!;
  return JSON.parse(fs.readFileSync(file, 'utf8')) as Json;
}
