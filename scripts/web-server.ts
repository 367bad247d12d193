// The web server `npm start` (and, with --dev, `npm run dev`) runs: Next's request handler behind a
// plain Node HTTP server, so Marquee sees the client's real address (see lib/http/forwarded.ts).
// In dev mode Next attaches its hot-reload WebSocket to this server's 'upgrade' event itself.
import http from 'node:http';
import nextModule from 'next';
import { env } from '../lib/env';
import { rewriteForwardedHeaders } from '../lib/http/forwarded';
import { continueOnFirstRead, guardRequest } from '../lib/http/front-door';

type NextFactory = (opts: { dev: boolean; dir: string; hostname: string; port: number }) => {
  prepare(): Promise<void>;
  getRequestHandler(): (req: http.IncomingMessage, res: http.ServerResponse) => Promise<void>;
};
const createNext = ((nextModule as unknown as { default?: NextFactory }).default ?? nextModule) as unknown as NextFactory;

const dev = process.argv.includes('--dev');
const app = createNext({ dev, dir: process.cwd(), hostname: env.HOST, port: env.PORT });
await app.prepare();
const handle = app.getRequestHandler();
function onRequest(req: http.IncomingMessage, res: http.ServerResponse) {
  rewriteForwardedHeaders(req.headers, req.socket.remoteAddress, env.TRUST_PROXY);
  if (guardRequest(req, res, { dev })) return;
  handle(req, res).catch((err: unknown) => {
    console.error('request failed', err);
    if (!res.headersSent) res.statusCode = 500;
    res.end();
  });
}
const server = http.createServer(onRequest);
server.on('checkContinue', (req, res) => {
  continueOnFirstRead(req, res);
  onRequest(req, res);
});
server.listen(env.PORT, env.HOST, () => console.log(`[web] listening on http://${env.HOST}:${env.PORT}`));

function stop() {
  server.close(() => process.exit(0));
  server.closeIdleConnections();
  setTimeout(() => process.exit(0), 5_000).unref();
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
