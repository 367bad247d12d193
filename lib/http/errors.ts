// Typed application errors. Every error code the API returns is listed here with its default
// status; tests/unit/foundation/error-codes.test.ts reads lib/ and app/ for thrown codes and fails on
// any missing, so a client can rely on this list being complete.
const CODES = {
  // Generic, mapped from the kind of failure (lib/http/respond.ts maps Zod, Prisma and unknown errors).
  bad_request: 400,
  validation_failed: 422,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  length_required: 411,
  unsupported_media_type: 415,
  unprocessable: 422,
  rate_limited: 429,
  locked: 423,
  csrf_failed: 403,
  reauth_required: 403,
  invalid_webhook_secret: 401,
  payload_too_deep: 400,
  service_unavailable: 503,
  insufficient_storage: 507,
  internal_error: 500,
  // API token scopes and the session tracker.
  insufficient_scope: 403,
  no_active_session: 400,
  out_of_order: 409,
  timestamp_in_future: 400,
  // Query parameters (audit list and export).
  invalid_from: 400,
  invalid_to: 400,
  invalid_range: 400,
  invalid_format: 400,
  range_too_large: 400,
  // Analytics (GET /api/analytics).
  invalid_timezone: 400,
  invalid_limit: 400,
  // Accounts, passwords, two-factor, API tokens, first-run set-up.
  setup_complete: 409,
  password_change_required: 403,
  invalid_password: 422,
  weak_password: 422,
  password_reused: 422,
  email_taken: 409,
  last_admin: 409,
  too_many_tokens: 409,
  totp_already_enabled: 409,
  totp_not_started: 409,
  totp_not_enabled: 409,
  invalid_code: 422,
  totp_required: 422,
  // Videos: resumable uploads and playback.
  upload_lost: 410,
  upload_expired: 410,
  upload_interrupted: 400,
  invalid_token: 403,
  not_ready: 403,
  // A media server call failed (lib/servers/provider.ts: `server_` + the MediaServerError code);
  // 422 when the input is at fault (saving a server), 502 when the server is.
  server_invalid_url: 422,
  server_unreachable: 422,
  server_timeout: 422,
  server_invalid_credentials: 422,
  server_wrong_server_type: 422,
  server_not_found: 422,
  server_http_error: 422,
  server_bad_response: 422,
  server_not_supported: 422,
  server_redirect_refused: 422,
  server_response_too_large: 422,
  // Autoscan: manual scan paths and path mappings.
  invalid_path: 422,
  path_outside_libraries: 422,
  invalid_mapping: 422,
  invalid_cron: 422,
  // History: Tautulli connections and imports.
  tautulli_invalid_url: 422,
  tautulli_invalid_key: 422,
  tautulli_not_tautulli: 422,
  tautulli_unreachable: 422,
  tautulli_error: 422,
  tautulli_not_configured: 422,
  // A server's URL moved to another origin without its token being given again.
  token_required: 422,
} as const satisfies Record<string, number>;

export type KnownErrorCode = keyof typeof CODES;
/** A known code; the `string & {}` keeps new codes compiling, and the unit test catches them. */
export type ErrorCode = KnownErrorCode | (string & {});
export const ERROR_CODES = Object.keys(CODES) as KnownErrorCode[];

const defaultStatus: Record<string, number> = CODES;

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details?: unknown;
  readonly headers?: Record<string, string>;

  constructor(
    code: ErrorCode,
    message: string,
    opts: { status?: number; details?: unknown; headers?: Record<string, string>; cause?: unknown } = {},
  ) {
    super(message, { cause: opts.cause });
    this.name = 'AppError';
    this.code = code;
    this.status = opts.status ?? defaultStatus[code] ?? 400;
    this.details = opts.details;
    this.headers = opts.headers;
  }
}

export const unauthorized = (message = 'Sign in or send a valid API token.') => new AppError('unauthorized', message);
export const forbidden = (message = 'You do not have permission to do that.') => new AppError('forbidden', message);
export const notFound = (what = 'Resource') => new AppError('not_found', `${what} not found.`);

export function isAppError(err: unknown): err is AppError {
  return err instanceof AppError;
}
