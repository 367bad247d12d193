// Waking the worker after requests were persisted. The rows are the truth; the job only says "look
// now", so a lost wake-up costs latency (the minute sweep routes them), never a request. Within one
// process wake-ups are coalesced on a trailing edge: 5,000 webhooks in a burst send a handful of
// jobs, and a request committed before the timer fires is always covered by that send.
import { jobs } from '../jobs/definitions';
import { errorFields, logger } from '../logger';

const COALESCE_MS = 100;
const g = globalThis as unknown as { marqueeScanWake?: ReturnType<typeof setTimeout> | null };

export function wakeScanIntake(): void {
  if (g.marqueeScanWake) return;
  g.marqueeScanWake = setTimeout(() => {
    g.marqueeScanWake = null;
    jobs.scanIntake.enqueue({}).catch((err: unknown) => logger.warn('scan intake wake-up failed (the sweep will route the requests)', errorFields(err)));
  }, COALESCE_MS);
  g.marqueeScanWake.unref?.();
}
