// The route handlers on disk, for tests that must cover every API route (authorization matrix,
// OpenAPI completeness): a new route file is picked up without anyone listing it.
import fs from 'node:fs';
import path from 'node:path';

export const API_DIR = path.resolve(process.cwd(), 'app/api');

export function findRouteFiles(dir = API_DIR): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = path.join(dir, d.name);
    if (d.isDirectory()) return findRouteFiles(p);
    return /^route\.(ts|tsx|js)$/.test(d.name) ? [p] : [];
  });
}
