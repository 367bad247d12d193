// Stable integer ids for Tautulli's clients. A Plex server's ids (user id, rating key, section id)
// are integers already and are used as they are; Jellyfin/Emby GUIDs (and anything else that is not
// a plain integer) get one from the TautulliId table, assigned once and never changed.
import { Prisma } from '@/generated/prisma/client';
import { db } from '../db';

export type TautulliIdKind = 'user' | 'item' | 'library' | 'server' | 'session' | 'play';

const PLAIN_INT = /^\d{1,9}$/;

/** The key a (server, external id) pair is stored under. */
export const idKey = (serverId: string, externalId: string) => `${serverId}:${externalId}`;

/**
 * The integer id of each external id of one server and kind. `usePlexIds`: the server is Plex, whose
 * own integer ids are kept. Missing mappings are created in one statement (concurrent callers agree).
 */
export async function tautulliIds(kind: TautulliIdKind, serverId: string, externalIds: Iterable<string>, usePlexIds: boolean): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  const need: string[] = [];
  for (const ext of new Set(externalIds)) {
    if (usePlexIds && PLAIN_INT.test(ext)) out.set(ext, Number(ext));
    else need.push(ext);
  }
  if (need.length === 0) return out;
  const keys = need.map((ext) => idKey(serverId, ext));
  await db.$executeRaw`INSERT INTO "TautulliId" ("kind", "key") SELECT ${kind}, k FROM unnest(${keys}::text[]) AS k ON CONFLICT ("kind", "key") DO NOTHING`;
  const rows = await db.$queryRaw<{ id: number; key: string }[]>`SELECT "id", "key" FROM "TautulliId" WHERE "kind" = ${kind} AND "key" IN (${Prisma.join(keys)})`;
  const byKey = new Map(rows.map((r) => [r.key, r.id]));
  for (const ext of need) {
    const id = byKey.get(idKey(serverId, ext));
    if (id !== undefined) out.set(ext, id);
  }
  return out;
}

/**
 * What an integer id a client sends back (user_id=…, rating_key=…) means: the mapped (server,
 * external id) pairs, or for a plain Plex id, the same id on each of `plexServerIds`.
 */
export async function resolveTautulliId(kind: TautulliIdKind, id: number, plexServerIds: string[]): Promise<{ serverId: string; externalId: string }[]> {
  const row = await db.tautulliId.findFirst({ where: { kind, id } });
  if (row) {
    const i = row.key.indexOf(':');
    return [{ serverId: row.key.slice(0, i), externalId: row.key.slice(i + 1) }];
  }
  return plexServerIds.map((serverId) => ({ serverId, externalId: String(id) }));
}
