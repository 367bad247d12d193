export { playbackEvent, playbackTransitions, stopEvent, transitionOf, type PlaybackEventKind, type PlaybackEventRow, type StopReason } from './events';
export { endLiveSessions } from './end-live-sessions';
export * from './webhooks';
export { applyPlayEvents, DEFAULT_PLAY_RULES, isSameViewing, settlePlay, type PlayEvent, type PlayRules, type PlayState } from './plays';
export { closeServerPlays, closeStalePlays, playEventFromPoll, playEventFromWebhook, playRules, recordPlayEvents, upsertPlays } from './record';
