// Client-address headers as Marquee's web server passes them on. `next start` keeps whatever
// X-Forwarded-For a client sends, which would let anyone choose the IP that per-IP throttling and
// the audit log see (they read the first entry). So the header is rewritten to hold one address:
// - TRUST_PROXY off: the socket's address; the other forwarded headers are dropped too.
// - TRUST_PROXY on (Marquee behind ONE reverse proxy that appends the client it saw, as nginx's
//   $proxy_add_x_forwarded_for and Caddy/Traefik do): the header's LAST entry. Earlier entries
//   came from the client and are not to be believed.
import type { IncomingHttpHeaders } from 'node:http';

export function rewriteForwardedHeaders(headers: IncomingHttpHeaders, socketIp: string | undefined, trustProxy: boolean): void {
  const ip = socketIp?.replace(/^::ffff:/, '');
  const incoming = headers['x-forwarded-for'];
  const chain = (Array.isArray(incoming) ? incoming.join(',') : (incoming ?? ''))
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (trustProxy && chain.length) {
    headers['x-forwarded-for'] = chain.at(-1)!;
    return;
  }
  if (ip) headers['x-forwarded-for'] = ip;
  else delete headers['x-forwarded-for'];
  if (!trustProxy) {
    // Next fills these in again from the socket itself.
    delete headers['x-real-ip'];
    delete headers['x-forwarded-proto'];
    delete headers['x-forwarded-host'];
    delete headers['x-forwarded-port'];
  }
}
