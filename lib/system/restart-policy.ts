// How `npm start` supervises its processes (web, worker, embedded PostgreSQL): a crash is
// restarted after a growing delay (1 s, 2 s, 4 s, …, at most 30 s); the fifth crash of the same
// process within 10 minutes means something is persistently wrong, and the launcher gives up loudly
// instead of restarting forever.
export interface RestartPolicy {
  maxFailures: number;
  windowMs: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RESTART_POLICY: RestartPolicy = {
  maxFailures: 5,
  windowMs: 10 * 60_000,
  baseDelayMs: 1_000,
  maxDelayMs: 30_000,
};

export type RestartDecision =
  | { giveUp: false; delayMs: number; failures: number }
  | { giveUp: true; failures: number };

export interface RestartTracker {
  /** Records a crash now; says how long to wait before restarting, or to give up. */
  recordFailure(): RestartDecision;
  /** Crashes counted in the current window. */
  recentFailures(): number;
}

export function createRestartTracker(policy: RestartPolicy = DEFAULT_RESTART_POLICY, now: () => number = Date.now): RestartTracker {
  let failures: number[] = [];
  const prune = () => {
    const since = now() - policy.windowMs;
    failures = failures.filter((t) => t > since);
  };
  return {
    recordFailure() {
      prune();
      failures.push(now());
      const n = failures.length;
      if (n >= policy.maxFailures) return { giveUp: true, failures: n };
      return { giveUp: false, failures: n, delayMs: Math.min(policy.baseDelayMs * 2 ** (n - 1), policy.maxDelayMs) };
    },
    recentFailures() {
      prune();
      return failures.length;
    },
  };
}
