// Short-lived sealed playback tokens (iron-session). Embedded in playlist URLs so external players
// (VLC, ffplay) can follow a shared link. iron-session's own TTL allows 60 s of clock skew, so the
// expiry is sealed into the payload and checked here.
import { sealData, unsealData } from 'iron-session';
import { z } from 'zod';
import { env } from '../env';
import { authSecret } from '../secrets';

const payload = z.object({ v: z.string().min(1), u: z.string().min(1), exp: z.number().int() });

export interface PlaybackGrant {
  videoId: string;
  userId: string;
  expiresAt: number; // ms since epoch
}

function password(): string {
  // Derive a distinct password so a playback token can never be confused with another sealed value.
  return `marquee-playback:${authSecret()}`;
}

export async function sealPlaybackToken(videoId: string, userId: string, ttlS = env.PLAYBACK_TOKEN_TTL_S, now = Date.now()): Promise<string> {
  return sealData({ v: videoId, u: userId, exp: now + ttlS * 1000 }, { password: password(), ttl: ttlS + 120 });
}

/** The grant in a token for this video, or null when it is garbage, tampered, expired or for another video. */
export async function verifyPlaybackToken(token: string, videoId: string, now = Date.now()): Promise<PlaybackGrant | null> {
  if (!token || token.length > 4096) return null;
  let data: unknown;
  try {
    data = await unsealData(token, { password: password() });
  } catch {
    return null;
  }
  const parsed = payload.safeParse(data);
  if (!parsed.success) return null;
  if (parsed.data.v !== videoId || parsed.data.exp <= now) return null;
  return { videoId: parsed.data.v, userId: parsed.data.u, expiresAt: parsed.data.exp };
}
