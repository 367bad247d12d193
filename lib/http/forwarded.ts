// Client-address headers as Marquee's web server passes them on. `next start` keeps whatever
// X-Forwarded-For a client sends, which would let anyone choose the IP that per-IP throttling and
// the audit log see. Unless TRUST_PROXY is on (Marquee behind a reverse proxy that sets these
// headers), they are replaced by what the socket says; with it, the socket's address is appended.
import type { IncomingHttpHeaders } from 'node:http';

export function rewriteForwardedHeaders(headers: IncomingHttpHeaders, socketIp: string | undefined, trustProxy: boolean): void {
  const ip = socketIp?.replace(/^::ffff:/, '');
  const incoming = headers['x-forwarded-for'];
  if (trustProxy && incoming) {
    headers['x-forwarded-for'] = `${Array.isArray(incoming) ? incoming.join(', ') : incoming}, ${ip ?? 'unknown'}`;
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
