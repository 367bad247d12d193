// Analytics: the rollup refresh (every minute, and after a Tautulli import).
import { refreshRollups } from '../lib/analytics/rollups';

export async function refreshAnalytics() {
  return refreshRollups();
}
