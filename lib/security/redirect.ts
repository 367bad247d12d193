// Where to send a user after sign-in: only a path on Marquee itself. A prefix check is not enough:
// browsers read `/\evil.example` (and `/<tab>/evil.example`) as `//evil.example`, another site.

const BASE = 'http://marquee.invalid';

/** The path, query and hash of `raw` when it stays on this origin; otherwise `fallback`. */
export function safeRedirectPath(raw: string | null | undefined, fallback = '/'): string {
  if (!raw || !raw.startsWith('/')) return fallback;
  let url: URL;
  try {
    url = new URL(raw, BASE);
  } catch {
    return fallback;
  }
  return url.origin === BASE ? `${url.pathname}${url.search}${url.hash}` : fallback;
}
