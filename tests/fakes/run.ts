// `npm run fakes`: starts a fake Plex, Jellyfin and Emby with a few sessions each, so Marquee can be
// tried with no media server. Add them on /servers with the URLs and tokens printed below.
import { FakeEmby, FakeJellyfin, FakePlex, FakeTautulli } from './index';

const base = Number(process.env.FAKES_PORT ?? 32400);
const fakes = [new FakePlex(process.env.FAKE_PLEX_TOKEN), new FakeJellyfin(process.env.FAKE_JELLYFIN_TOKEN), new FakeEmby(process.env.FAKE_EMBY_TOKEN)];

const ports = [base, base + 1, base + 2];
for (const [i, fake] of fakes.entries()) {
  await fake.listen(ports[i], process.env.FAKES_HOST ?? '127.0.0.1');
  fake.startSession({ user: 'alice', title: 'Ozymandias', sourceHeight: 2160, streamHeight: 1080, decision: 'transcode', hdr: 'HDR10', bandwidthKbps: 8616, ipAddress: '203.0.113.24', player: 'Firefox' });
  fake.startSession({ user: 'bob', title: 'Spirited Away', mediaType: 'movie', decision: 'directplay', bandwidthKbps: 12000, state: 'paused', player: 'SHIELD Android TV' });
  console.log(`${fake.type.padEnd(8)} ${fake.url}  token: ${fake.token}`);
}
const tautulli = new FakeTautulli({ rowCount: Number(process.env.FAKE_TAUTULLI_ROWS ?? 5000), apiKey: process.env.FAKE_TAUTULLI_KEY });
await tautulli.listen(base + 3, process.env.FAKES_HOST ?? '127.0.0.1');
console.log(`${'tautulli'.padEnd(8)} ${tautulli.url}  api key: ${tautulli.apiKey}  (${tautulli.rowCount} history rows)`);
console.log('\nCtrl-C to stop. Sessions advance every 5 s.');

setInterval(() => {
  for (const fake of fakes) for (const s of fake.sessions.values()) if (s.state === 'playing') s.progressMs = (s.progressMs + 5000) % s.durationMs;
}, 5000).unref();

const stop = async () => {
  await Promise.all([...fakes.map((f) => f.close()), tautulli.close()]);
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
await new Promise(() => {});
