// Autoscan's jobs: route received requests, run one scan, sweep what a lost wake-up or a dead worker left.
import { fireDueSchedules, routePendingScans, runScan, sweepScans } from '../lib/scans';

export async function runScanIntake() {
  return { routed: await routePendingScans() };
}

export async function runScanJob(data: { scanId: string }) {
  return { outcome: await runScan(data.scanId) };
}

export async function runScanSweep() {
  const scheduled = await fireDueSchedules();
  const routed = await routePendingScans();
  return { scheduled, routed, ...(await sweepScans()) };
}
