// The only switch on server type.
import { EmbyProvider, JellyfinProvider } from './jellyfin-emby';
import { PlexProvider } from './plex';
import type { MediaServerProvider, ServerConfig } from './types';

export function providerFor(config: ServerConfig): MediaServerProvider {
  switch (config.type) {
    case 'plex': return new PlexProvider(config);
    case 'jellyfin': return new JellyfinProvider(config);
    case 'emby': return new EmbyProvider(config);
  }
}

export * from './types';
export { MediaServerError, isMediaServerError, type MediaServerErrorCode } from './errors';
