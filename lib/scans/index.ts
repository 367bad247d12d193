// Autoscan: *arr webhooks and manual requests → debounced, retried, narrowest media-server scans.
export { receiveArrWebhook } from './webhooks/receive';
export { parseArrEvent, ARR_SOURCES, type ArrSource, type ArrEvent } from './arr-events';
export { requestManualScan, retryScan, clearScans, persistScanRequests } from './requests';
export { listScans, scanCounts, serializeScan, type ScanView } from './queries';
export { listPathMappings, createPathMapping, updatePathMapping, deletePathMapping, testScanPath } from './mappings';
export { readScanSettings, updateScanSettings, DEFAULT_SCAN_SETTINGS, type ScanSettingsValues } from './settings';
export { routePendingScans } from './route-requests';
export { runScan, sweepScans, missingAnchors } from './run-scan';
export * from './schemas';
export { listScanSchedules, createScanSchedule, deleteScanSchedule, fireDueSchedules } from './schedules';
