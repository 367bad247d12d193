// Which other sites' pages may call the widget's endpoints (the bookmarklet runs in their origin).
import { env } from '../env';
import { parseOriginList, type CorsPolicy } from '../http/cors';

export function trackerCorsPolicy(methods: string[]): CorsPolicy {
  return { origins: parseOriginList(env.TRACKER_ALLOWED_ORIGINS), methods };
}
