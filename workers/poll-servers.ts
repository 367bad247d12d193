// Media-server jobs: the per-server poll chain (lib/jobs/server-poll.ts), its reconcile, and the
// directory sync. The domain functions do the work, so tests call them directly.
import { systemActor } from '../lib/auth/actor';
import { syncDueDirectories } from '../lib/servers';
import { reconcileServerPolls } from '../lib/jobs/server-poll';

export { runServerPoll } from '../lib/jobs/server-poll';

export async function reconcilePolls(): Promise<{ queued: string[] }> {
  return { queued: await reconcileServerPolls() };
}

export async function syncDirectories(): Promise<{ servers: number; failed: number }> {
  const results = await syncDueDirectories(systemActor('server-directory-sync'));
  return { servers: results.length, failed: results.filter((r) => r.status === 'rejected').length };
}
