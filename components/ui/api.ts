// The one way client components call Marquee's JSON API: JSON in and out with the session cookie,
// and every failure — our `{ error: { code, message } }` body, a bare proxy error page, the network
// being down — thrown as an ApiError whose message can be shown to the user as is. Also the hook
// that runs such calls from a form and keeps their outcome for <FormOutcomeLine>.
import { useState, useTransition } from 'react';
import type { FormOutcome } from '@/components/ui/form';

/** What the screens show when the request itself failed (network down, Marquee restarting). */
export const NETWORK_ERROR = 'Could not reach Marquee. Check the connection and try again.';

/** A server value as it arrives through JSON (or a JSON round trip in a page): dates are ISO strings. */
export type Wire<T> = T extends Date ? string : T extends readonly (infer U)[] ? Wire<U>[] : T extends object ? { [K in keyof T]: Wire<T[K]> } : T;

export class ApiError extends Error {
  /** The API's error code (`not_found`, `validation_failed`…); `network_error` when no answer came. */
  readonly code: string;
  /** The HTTP status; 0 when no answer came. */
  readonly status: number;
  readonly details?: unknown;
  constructor(message: string, opts: { code: string; status: number; details?: unknown; cause?: unknown }) {
    super(message, { cause: opts.cause });
    this.name = 'ApiError';
    this.code = opts.code;
    this.status = opts.status;
    this.details = opts.details;
  }
}

export interface CallApiInit {
  method?: string;
  /** Sent as JSON. */
  body?: unknown;
  signal?: AbortSignal;
  /** Lets the request outlive the page (saving a position on leave). */
  keepalive?: boolean;
}

/** A message for an error answer that carried no message of ours (a proxy's HTML page, an empty body). */
function statusMessage(status: number): string {
  if (status === 401) return 'Your session has ended. Sign in again.';
  if (status === 403) return 'You do not have permission to do that.';
  if (status === 404) return 'Not found: it may have been deleted.';
  if (status === 413) return 'That is too large for Marquee to accept.';
  if (status === 429) return 'Too many requests. Wait a moment and try again.';
  if (status >= 500) return `Marquee could not complete the request (${status}). Try again in a moment.`;
  return `Request failed (${status}).`;
}

/**
 * Asks the user to confirm their password (POST /api/account/reauth) and resolves true once they
 * did. <ReauthDialog> registers the real one; without it, a plain prompt.
 */
type ReauthHandler = () => Promise<boolean>;
let reauthHandler: ReauthHandler | null = null;

export function setReauthHandler(handler: ReauthHandler | null): void {
  reauthHandler = handler;
}

async function promptReauth(): Promise<boolean> {
  if (reauthHandler) return reauthHandler();
  const password = typeof window === 'undefined' ? null : window.prompt('Confirm your password to continue');
  if (!password) return false;
  const res = await fetch('/api/account/reauth', { method: 'POST', credentials: 'same-origin', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ password }) });
  return res.ok;
}

async function send(path: string, init: CallApiInit): Promise<{ res: Response; data: unknown }> {
  const hasBody = init.body !== undefined;
  let res: Response;
  try {
    res = await fetch(path, {
      method: init.method ?? 'GET',
      credentials: 'same-origin',
      headers: hasBody ? { accept: 'application/json', 'content-type': 'application/json' } : { accept: 'application/json' },
      body: hasBody ? JSON.stringify(init.body) : undefined,
      signal: init.signal,
      keepalive: init.keepalive,
    });
  } catch (err) {
    if ((err as { name?: string } | null)?.name === 'AbortError') throw err;
    throw new ApiError(NETWORK_ERROR, { code: 'network_error', status: 0, cause: err });
  }
  const text = res.status === 204 ? '' : await res.text().catch(() => '');
  let data: unknown;
  try {
    data = text ? JSON.parse(text) : undefined;
  } catch {
    data = undefined; // not JSON: a proxy's error page, or a truncated answer
  }
  return { res, data };
}

type ErrorBody = { error?: { code?: unknown; message?: unknown; details?: unknown } } | undefined;

/**
 * Calls a same-origin API path and returns its JSON (undefined for 204 or an empty body).
 * Throws ApiError for any failure; an aborted call rethrows the AbortError untouched. A sensitive
 * action answered 403 `reauth_required` asks for the password once and is tried again.
 */
export async function callApi<T = unknown>(path: string, init: CallApiInit = {}): Promise<T> {
  let { res, data } = await send(path, init);
  if (res.status === 403 && (data as ErrorBody)?.error?.code === 'reauth_required' && (await promptReauth())) {
    ({ res, data } = await send(path, init));
  }
  if (!res.ok) {
    const error = (data as ErrorBody)?.error;
    const message = typeof error?.message === 'string' && error.message ? error.message : statusMessage(res.status);
    throw new ApiError(message, { code: typeof error?.code === 'string' ? error.code : 'http_error', status: res.status, details: error?.details });
  }
  return data as T;
}

/** The message to show for anything a call threw. */
export function errorMessage(err: unknown): string {
  return err instanceof Error && err.message ? err.message : 'Something went wrong.';
}

/**
 * `run(fn)` calls `fn` in a transition: a thrown error becomes the outcome `{ ok: false }`, a returned
 * text the confirmation `{ ok: true }`; the previous outcome is cleared first.
 */
export function useApiAction() {
  const [outcome, setOutcome] = useState<FormOutcome>(null);
  const [pending, start] = useTransition();
  const run = (fn: () => Promise<string | void>) =>
    start(async () => {
      setOutcome(null);
      try {
        const text = await fn();
        if (text) setOutcome({ ok: true, text });
      } catch (err) {
        setOutcome({ ok: false, text: errorMessage(err) });
      }
    });
  return { outcome, setOutcome, pending, run };
}
