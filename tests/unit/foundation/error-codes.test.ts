// The error-code list in lib/http/errors.ts promises to be complete. This reads the source tree for
// every code the API can return (`new AppError('code'`, error bodies written by hand) and fails on
// any the list lacks, so a new code cannot ship undocumented.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { ERROR_CODES } from '@/lib/http/errors';

const root = path.resolve(__dirname, '../../..');
const SOURCE_ROOTS = ['lib', 'app', 'workers', 'proxy.ts'];

function sourceFiles(rel: string): string[] {
  const abs = path.join(root, rel);
  if (!fs.existsSync(abs)) return [];
  if (fs.statSync(abs).isFile()) return /\.tsx?$/.test(rel) ? [rel] : [];
  return fs.readdirSync(abs).flatMap((name) => sourceFiles(path.join(rel, name)));
}

/** `server_${err.code}` (lib/servers/provider.ts) stands for every MediaServerError code. */
function mediaServerCodes(): string[] {
  const src = fs.readFileSync(path.join(root, 'lib/media-servers/errors.ts'), 'utf8');
  const union = /export type MediaServerErrorCode =([^;]+);/.exec(src)?.[1] ?? '';
  return [...union.matchAll(/'([a-z_]+)'/g)].map((m) => m[1]!);
}

interface Found {
  code: string;
  where: string;
}

function thrownCodes(): { found: Found[]; unreadable: string[] } {
  const found: Found[] = [];
  const unreadable: string[] = [];
  for (const file of SOURCE_ROOTS.flatMap(sourceFiles)) {
    const src = fs.readFileSync(path.join(root, file), 'utf8');
    const at = (index: number) => `${file}:${src.slice(0, index).split('\n').length}`;
    for (const m of src.matchAll(/new AppError\(\s*([^,)]*)/g)) {
      const arg = m[1]!.trim();
      const literal = /^(['"])([a-z0-9_]+)\1$/.exec(arg);
      if (literal) found.push({ code: literal[2]!, where: at(m.index) });
      else if (arg === '`server_${err.code}`') for (const c of mediaServerCodes()) found.push({ code: `server_${c}`, where: at(m.index) });
      else if (!(file === 'lib/http/errors.ts' && arg === 'code')) unreadable.push(`${at(m.index)} ${arg}`);
    }
    // Error bodies built without AppError (lib/http/respond.ts maps Zod/Prisma/unknown errors).
    for (const m of src.matchAll(/error: \{\s*code: (['"])([a-z0-9_]+)\1/g)) found.push({ code: m[2]!, where: at(m.index) });
  }
  return { found, unreadable };
}

describe('lib/http/errors.ts error-code list', () => {
  test('lists every code thrown in lib/, app/ and workers/', () => {
    const { found } = thrownCodes();
    // The scan must actually see the tree: a few codes known to be thrown from different places.
    const codes = new Set(found.map((f) => f.code));
    for (const known of ['invalid_from', 'csrf_failed', 'upload_lost', 'validation_failed', 'server_timeout']) expect(codes).toContain(known);
    const listed = new Set<string>(ERROR_CODES);
    const missing = found.filter((f) => !listed.has(f.code)).map((f) => `${f.code} (${f.where})`);
    expect(missing, 'add these codes to lib/http/errors.ts').toEqual([]);
  });

  test('every AppError is built with a code the scan can read', () => {
    // A code held in a variable could be anything; name it literally (or teach this test its values).
    expect(thrownCodes().unreadable).toEqual([]);
  });

  test('codes are snake_case', () => {
    for (const c of ERROR_CODES) expect(c).toMatch(/^[a-z][a-z0-9]*(_[a-z0-9]+)*$/);
  });
});
