import type { MediaServer } from '@/generated/prisma/client';

/** The API shape of a server: never the token. */
export function publicServer(s: MediaServer) {
  return {
    id: s.id,
    type: s.type,
    name: s.name,
    url: s.url,
    machineId: s.machineId,
    version: s.version,
    enabled: s.enabled,
    pollIntervalS: s.pollIntervalS,
    mediaUserSignIn: s.mediaUserSignIn,
    health: s.health,
    lastError: s.lastError,
    lastPolledAt: s.lastPolledAt?.toISOString() ?? null,
    lastOkAt: s.lastOkAt?.toISOString() ?? null,
    createdAt: s.createdAt.toISOString(),
  };
}
export type PublicServer = ReturnType<typeof publicServer>;
