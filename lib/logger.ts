// Minimal structured logger: one JSON line per event in production, readable lines in dev.
// A warning or error that repeats (a poll tick failing every second while the database is down)
// is written once per REPEAT_WINDOW_MS: the first occurrence at once, then one line per window
// carrying how many were held back, so an outage does not flood the log with identical stacks.
// "The same" means the same message and the same error text (numbers aside), so a different
// failure under one message (each unhandled route error, say) is still written when it happens.
import { env } from './env';

const levels = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 } as const;
type Level = Exclude<keyof typeof levels, 'silent'>;

export const REPEAT_WINDOW_MS = 60_000;

interface Repeat {
  until: number;
  held: number;
  last?: Record<string, unknown>;
  timer?: ReturnType<typeof setTimeout>;
}
const repeats = new Map<string, Repeat>();

function emit(level: Level, msg: string, fields?: Record<string, unknown>) {
  const line =
    env.NODE_ENV === 'production'
      ? JSON.stringify({ level, time: new Date().toISOString(), msg, ...fields })
      : `[${level}] ${msg}${fields && Object.keys(fields).length ? ' ' + JSON.stringify(fields) : ''}`;
  (level === 'error' || level === 'warn' ? console.error : console.log)(line);
}

function flush(key: string, level: Level, msg: string) {
  const r = repeats.get(key);
  if (!r) return;
  repeats.delete(key);
  if (r.held > 0) {
    emit(level, msg, { ...r.last, repeated: r.held, windowSeconds: REPEAT_WINDOW_MS / 1000 });
    // The summary opens a new window, so a steady failure logs exactly once per window.
    repeats.set(key, { until: Date.now() + REPEAT_WINDOW_MS, held: 0, timer: arm(key, level, msg) });
  }
}

function arm(key: string, level: Level, msg: string) {
  const t = setTimeout(() => flush(key, level, msg), REPEAT_WINDOW_MS);
  t.unref?.();
  return t;
}

function write(level: Level, msg: string, fields?: Record<string, unknown>) {
  if (levels[level] < levels[env.LOG_LEVEL]) return;
  if (level !== 'warn' && level !== 'error') return emit(level, msg, fields);
  const key = `${level}\u0000${msg}\u0000${String(fields?.error ?? '').replace(/\d+/g, '#').slice(0, 300)}`;
  const r = repeats.get(key);
  if (r && Date.now() < r.until) {
    r.held++;
    r.last = fields;
    return;
  }
  if (r?.timer) clearTimeout(r.timer);
  emit(level, msg, r?.held ? { ...fields, repeated: r.held, windowSeconds: REPEAT_WINDOW_MS / 1000 } : fields);
  repeats.set(key, { until: Date.now() + REPEAT_WINDOW_MS, held: 0, timer: arm(key, level, msg) });
}

export const logger = {
  debug: (msg: string, fields?: Record<string, unknown>) => write('debug', msg, fields),
  info: (msg: string, fields?: Record<string, unknown>) => write('info', msg, fields),
  warn: (msg: string, fields?: Record<string, unknown>) => write('warn', msg, fields),
  error: (msg: string, fields?: Record<string, unknown>) => write('error', msg, fields),
};

export function errorFields(err: unknown): Record<string, unknown> {
  return err instanceof Error ? { error: err.message, stack: err.stack } : { error: String(err) };
}
