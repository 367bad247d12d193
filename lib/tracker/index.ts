// The session tracker's surface.
export { recordTrackerEvent, getOpenSessionState, MAX_FUTURE_SKEW_MS } from './record-event';
export { getSessionSummary, listRecentSessions, updateSessionTarget, deleteSession, deleteItem, getDayView, listItemsForExport, deleteTrackerDataOfUser } from './queries';
export type { SessionSummary, DayView } from './queries';
export { trackerEventSchema, updateSessionSchema, listSessionsQuerySchema, exportQuerySchema } from './schemas';
export { applyTrackerEvent, formatMmss, formatHhmmss, TRACKER_EVENT_TYPES } from './state-machine';
export { summarizeItems, combinePace, isGhostItem, DEFAULT_TARGET_S } from './summary';
export { dayWindow, localDate, todayIn, safeTimezone, addDays, parseDay, bucketByHour } from './day-buckets';
export { buildUserscript, buildBookmarklet, WIDGET_CORE_SOURCE, DEFAULT_WIDGET_KEYS } from './widget-core';
export { toCsv, escapeCsvCell, TRACKER_CSV_COLUMNS } from './csv';
export { getWidgetSettings, saveWidgetSettings, widgetSettingsSchema, type WidgetSettings } from './settings';
