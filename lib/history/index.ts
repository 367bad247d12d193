export { playbackEvent, playbackTransitions, stopEvent, transitionOf, type PlaybackEventKind, type PlaybackEventRow, type StopReason } from './events';
export { endLiveSessions } from './end-live-sessions';
export * from './webhooks';
