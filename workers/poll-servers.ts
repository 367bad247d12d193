// Polls media servers: a tick every second claims the servers whose interval is due (each at its
// own pollIntervalS, backing off when failing) and polls them concurrently; once a day it resyncs
// media users and libraries. The domain functions do the work, so tests call them directly.
import type PgBoss from 'pg-boss';
import { systemActor } from '../lib/auth/actor';
import { logger, errorFields } from '../lib/logger';
import { pollAllServers, syncDueDirectories } from '../lib/servers';

export async function registerPollServers(_boss: PgBoss): Promise<() => void> {
  let running = false;
  let lastDirectorySync = 0;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      await pollAllServers();
      if (Date.now() - lastDirectorySync > 10 * 60 * 1000) {
        lastDirectorySync = Date.now();
        await syncDueDirectories(systemActor('server-directory-sync'));
      }
    } catch (err) {
      logger.error('server poll tick failed', errorFields(err));
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void tick(), 1000);
  void tick();
  return () => clearInterval(timer);
}
