// What the worker's history jobs call (workers/history.ts).
import { db } from '../db';
import { env } from '../env';

export { closeStalePlays } from './record';
export { runTautulliImport, scheduleTautulliPull } from './import';

/** Raw playback events older than the retention go; the plays built from them stay. */
export async function prunePlaybackEvents(now = new Date()): Promise<number> {
  const before = new Date(now.getTime() - env.HISTORY_EVENT_RETENTION_DAYS * 86_400_000);
  const r = await db.playbackEvent.deleteMany({ where: { at: { lt: before } } });
  return r.count;
}
