// Builds a provider for a stored server (decrypting its token) or for a not-yet-saved one.
import { decryptString } from '../crypto/encryption';
import { env } from '../env';
import { AppError } from '../http/errors';
import { isMediaServerError, providerFor, type MediaServerProvider, type ServerType } from '../media-servers';

export interface StoredServer {
  id: string;
  type: ServerType;
  url: string;
  tokenEnc: string;
}

export function providerForServer(server: StoredServer): MediaServerProvider {
  return providerFor({ type: server.type, url: server.url, token: decryptString(server.tokenEnc, undefined, `server:${server.id}`), timeoutMs: env.MEDIA_SERVER_TIMEOUT_MS, plexTvUrl: env.PLEX_TV_URL });
}

export function providerForInput(input: { type: ServerType; url: string; token: string }): MediaServerProvider {
  try {
    return providerFor({ ...input, timeoutMs: env.MEDIA_SERVER_TIMEOUT_MS, plexTvUrl: env.PLEX_TV_URL });
  } catch (err) {
    throw toAppError(err);
  }
}

/** Media-server failures as API errors: connection test problems are 422 with the reason, later ones 502. */
export function toAppError(err: unknown, status = 422): unknown {
  if (!isMediaServerError(err)) return err;
  return new AppError(`server_${err.code}`, err.message, { status, cause: err });
}
