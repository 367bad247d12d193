// Typed application errors. Every 4xx the API returns is one of these codes.
export type ErrorCode =
  | 'bad_request'
  | 'validation_failed'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'unprocessable'
  | 'rate_limited'
  | 'locked'
  | 'csrf_failed'
  | 'reauth_required'
  | 'service_unavailable'
  | 'internal_error'
  | (string & {});

const defaultStatus: Record<string, number> = {
  bad_request: 400,
  validation_failed: 422,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  unprocessable: 422,
  rate_limited: 429,
  locked: 423,
  csrf_failed: 403,
  reauth_required: 403,
  service_unavailable: 503,
  internal_error: 500,
};

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
