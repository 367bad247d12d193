// Fake media servers for tests and for trying Marquee by hand (`npm run fakes`).
export { FakeMediaServer, type FakeSession, type FakeSessionSpec, type RecordedCall } from './core';
export { FakePlex } from './plex';
export { FakeEmby, FakeJellyfin } from './jellyfin-emby';
export { FakeTautulli, type FakeTautulliOptions } from './tautulli';
