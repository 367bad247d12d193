// Live fan-out of "server X has a new snapshot": the worker polls, the web process streams SSE.
// Across processes it rides PostgreSQL LISTEN/NOTIFY (no Redis needed); inside one process an
// EventEmitter fans out to every open SSE stream.
import { EventEmitter } from 'node:events';
import pg from 'pg';
import { db } from '../db';
import { databaseUrl } from '../env';
import { logger, errorFields } from '../logger';

export const LIVE_CHANNEL = 'marquee_live';
const CHANNEL = LIVE_CHANNEL;
type Listener = (serverId: string) => void;

const g = globalThis as unknown as { __marqueeLive?: { emitter: EventEmitter; client: pg.Client | null; connecting: Promise<void> | null } };
const state = (g.__marqueeLive ??= { emitter: new EventEmitter().setMaxListeners(0), client: null, connecting: null });

/** Announces a new snapshot of a server to every process. */
export async function publishLive(serverId: string): Promise<void> {
  state.emitter.emit('live', serverId);
  try {
    await db.$executeRaw`SELECT pg_notify(${CHANNEL}, ${serverId})`;
  } catch (err) {
    logger.warn('live notify failed', errorFields(err));
  }
}

/**
 * Tells this process's listeners about new snapshots whose notification to the other processes
 * went out with the write itself (the poll cycle's statement calls pg_notify).
 */
export function announceLocally(serverIds: Iterable<string>): void {
  for (const id of serverIds) state.emitter.emit('live', id);
}

async function ensureListening(): Promise<void> {
  if (state.client) return;
  state.connecting ??= (async () => {
    const client = new pg.Client({ connectionString: databaseUrl() });
    client.on('notification', (msg) => {
      if (msg.channel === CHANNEL && msg.payload) state.emitter.emit('remote', msg.payload);
    });
    client.on('error', (err) => {
      if (state.client !== client) return;
      logger.warn('live listener lost', errorFields(err));
      state.client = null;
      state.connecting = null;
      // Reconnect while someone is still listening, so open SSE streams keep getting updates.
      if (state.emitter.listenerCount('remote') > 0) setTimeout(() => void ensureListening(), 2000).unref();
    });
    await client.connect();
    await client.query(`LISTEN ${CHANNEL}`);
    state.client = client;
  })().catch((err) => {
    state.connecting = null;
    logger.warn('live listener failed to start', errorFields(err));
  });
  await state.connecting;
}

/** Calls `fn` whenever any server's snapshot changes (from this or another process). */
export async function subscribeLive(fn: Listener): Promise<() => void> {
  await ensureListening();
  state.emitter.on('live', fn);
  state.emitter.on('remote', fn);
  return () => {
    state.emitter.off('live', fn);
    state.emitter.off('remote', fn);
  };
}

/** Closes this process's LISTEN connection (tests, shutdown). */
export async function closeLiveBus(): Promise<void> {
  const client = state.client;
  state.client = null;
  state.connecting = null;
  await client?.end().catch(() => {});
}
