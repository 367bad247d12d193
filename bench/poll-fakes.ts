// Child process of bench/poll.ts: N fake servers (Plex, Jellyfin, Emby in turn) with M sessions
// each, kept out of the benchmark process so their CPU is not counted as Marquee's.
import { FakeEmby, FakeJellyfin, FakePlex, type FakeMediaServer } from '../tests/fakes';

const servers = Number(process.argv[2] ?? 50);
const sessions = Number(process.argv[3] ?? 20);
// "moving": playback advances as on a real server, so every session differs from one poll to the next.
const moving = process.argv[4] === 'moving';
const fakes: FakeMediaServer[] = [];
for (let i = 0; i < servers; i++) {
  const fake = [new FakePlex(`plex-${i}`), new FakeJellyfin(`jf-${i}`), new FakeEmby(`emby-${i}`)][i % 3]!;
  await fake.listen();
  for (let j = 0; j < sessions; j++) {
    fake.startSession({ user: `user${j % 7}`, title: `Episode ${j}`, episode: j + 1, sourceHeight: j % 4 === 0 ? 2160 : 1080, streamHeight: 1080, decision: j % 3 === 0 ? 'transcode' : 'directplay', hdr: j % 4 === 0 ? 'HDR10' : null, bandwidthKbps: 4000 + j * 100, ipAddress: j % 2 ? '192.168.1.20' : '203.0.113.9' });
  }
  fakes.push(fake);
}
process.stdout.write(`${JSON.stringify(fakes.map((f) => ({ type: f.type, url: f.url, token: f.token })))}\n`);
if (moving) setInterval(() => { for (const f of fakes) for (const s of f.sessions.values()) if (s.state === 'playing') s.progressMs += 250; }, 250);
process.on('SIGTERM', () => process.exit(0));
await new Promise(() => {});
