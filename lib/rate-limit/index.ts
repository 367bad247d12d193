// One rate-limit helper for the whole app: rate-limiter-flexible over ioredis when REDIS_URL is set
// (shared by every web process), in-process memory otherwise. This is Redis's only job in Marquee.
// Not @upstash/ratelimit: its Lua scripts are rejected by redis-server 7.0 and by ioredis-mock.
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import Redis from 'ioredis';
import { env } from '../env';
import { AppError } from '../http/errors';

export interface RateLimitPolicy {
  /** Distinguishes limiter instances (and their Redis key space). */
  name: string;
  /** Requests allowed per window. */
  points: number;
  /** Window length in seconds. */
  durationS: number;
}

/** The app's policies, in one place so they're easy to review and tune. */
export const POLICIES = {
  signIn: { name: 'sign-in', points: 10, durationS: 60 },
  tokenCreate: { name: 'token-create', points: 10, durationS: 3600 },
  /** Signed-in checks of the current password (password change, turning TOTP off), per user. */
  passwordCheck: { name: 'password-check', points: 10, durationS: 900 },
  upload: { name: 'upload', points: 30, durationS: 3600 },
  webhook: { name: 'webhook', points: 120, durationS: 60 },
  /** About one key press a second per user (~60/min). */
  trackerEvent: { name: 'tracker-event', points: 60, durationS: 60 },
} as const satisfies Record<string, RateLimitPolicy>;

export interface RateLimitResult {
  ok: boolean;
  remaining: number;
  /** Seconds until the next request would be allowed (≥ 1 when limited). */
  retryAfterS: number;
}

type RedisLike = ConstructorParameters<typeof RateLimiterRedis>[0]['storeClient'];

let store: RedisLike | null | undefined;
const limiters = new Map<string, RateLimiterAbstract>();

/** Tests (and the process) can swap the backend: a Redis client, or null for memory. */
export function setRateLimitStore(client: RedisLike | null): void {
  store = client;
  limiters.clear();
}

function currentStore(): RedisLike | null {
  if (store === undefined) {
    store = env.REDIS_URL ? new Redis(env.REDIS_URL, { maxRetriesPerRequest: 2, enableOfflineQueue: true, connectTimeout: 5_000 }) : null;
  }
  return store;
}

export function rateLimitBackend(): 'redis' | 'memory' {
  return currentStore() ? 'redis' : 'memory';
}

function limiterFor(policy: RateLimitPolicy): RateLimiterAbstract {
  const id = `${policy.name}:${policy.points}:${policy.durationS}`;
  let l = limiters.get(id);
  if (!l) {
    const redis = currentStore();
    const opts = { keyPrefix: `rl:${policy.name}`, points: policy.points, duration: policy.durationS };
    // insuranceLimiter: if Redis is down, fall back to per-process limits rather than failing open or closed.
    l = redis
      ? new RateLimiterRedis({ ...opts, storeClient: redis, insuranceLimiter: new RateLimiterMemory(opts) })
      : new RateLimiterMemory(opts);
    limiters.set(id, l);
  }
  return l;
}

export async function rateLimit(key: string, policy: RateLimitPolicy): Promise<RateLimitResult> {
  try {
    const res = await limiterFor(policy).consume(key, 1);
    return { ok: true, remaining: res.remainingPoints, retryAfterS: 0 };
  } catch (err) {
    if (err instanceof RateLimiterRes) {
      return { ok: false, remaining: 0, retryAfterS: Math.max(1, Math.ceil(err.msBeforeNext / 1000)) };
    }
    throw err;
  }
}

export function rateLimitedError(retryAfterS: number): AppError {
  return new AppError('rate_limited', `Too many requests; try again in ${retryAfterS} s.`, {
    status: 429,
    headers: { 'retry-after': String(retryAfterS) },
    details: { retryAfterS },
  });
}

/** Throws a 429 AppError (JSON body + Retry-After header via route()) when over the limit. */
export async function enforceRateLimit(key: string, policy: RateLimitPolicy): Promise<void> {
  const r = await rateLimit(key, policy);
  if (!r.ok) throw rateLimitedError(r.retryAfterS);
}
