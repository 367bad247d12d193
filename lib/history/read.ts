// The reading side of history for routes and pages (kept apart from index.ts, which the poller imports).
export { encodeCursor, exportFilename, exportPlays, getPlay, historyWhere, listMediaUserChoices, listPlays, parseMediaUserPair, PLAY_FIELDS, PLAY_SELECT, scopeSql, toPlayRow, type PlayRow } from './queries';
export { historyExportFormatSchema, historyExportQuerySchema, historyFilterSchema, historyQuerySchema, rangeOf, tautulliConnectionSchema, tautulliImportSchema, type HistoryFilter, type HistoryQuery } from './schemas';
