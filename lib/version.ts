import { readFileSync } from 'node:fs';
import path from 'node:path';

let cached: string | undefined;

/** Marquee's version, from package.json (read once). */
export function appVersion(): string {
  if (cached) return cached;
  try {
    cached = (JSON.parse(readFileSync(path.join(process.cwd(), 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    cached = '0.0.0';
  }
  return cached;
}
