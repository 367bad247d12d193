// lib/env.ts says it is the one place the app reads process.env (so every variable is validated and
// documented once). This keeps that true for lib/, app/, components/ and workers/.
import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from 'vitest';

const root = path.resolve(__dirname, '../../..');

function files(rel: string): string[] {
  const abs = path.join(root, rel);
  if (fs.statSync(abs).isFile()) return /\.(ts|tsx|mjs|js)$/.test(rel) ? [rel] : [];
  return fs.readdirSync(abs).flatMap((name) => files(path.join(rel, name)));
}

test('only lib/env.ts reads process.env in lib/, app/, components/ and workers/', () => {
  const readers = ['lib', 'app', 'components', 'workers']
    .flatMap(files)
    .filter((f) => f !== path.join('lib', 'env.ts') && /process\.env\b/.test(fs.readFileSync(path.join(root, f), 'utf8')));
  expect(readers, 'import { env } from lib/env.ts (add the variable to its schema) instead').toEqual([]);
});
