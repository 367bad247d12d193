// History jobs: Tautulli imports (one run per import, resumable), the scheduled pull of new Tautulli
// rows, and the maintenance that closes plays left open and prunes raw playback events.
import { systemActor } from '../lib/auth/actor';
import { closeStalePlays, prunePlaybackEvents, runTautulliImport, scheduleTautulliPull } from '../lib/history/jobs';

export async function runHistoryImport(data: { importId: string }) {
  return runTautulliImport(data.importId);
}

export async function pullTautulli() {
  return scheduleTautulliPull(systemActor('history-tautulli-pull'));
}

export async function maintainHistory() {
  return { closed: await closeStalePlays(), pruned: await prunePlaybackEvents() };
}
