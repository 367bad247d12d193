// Typed failures of media-server calls. Routes map them to 422/502 with the message as the reason.
export type MediaServerErrorCode =
  | 'invalid_url'
  | 'unreachable'
  | 'timeout'
  | 'invalid_credentials'
  | 'wrong_server_type'
  | 'not_found'
  | 'http_error'
  | 'bad_response'
  | 'redirect_refused'
  | 'response_too_large'
  | 'not_supported';

export class MediaServerError extends Error {
  readonly code: MediaServerErrorCode;
  readonly status?: number;
  constructor(code: MediaServerErrorCode, message: string, opts: { status?: number; cause?: unknown } = {}) {
    super(message, { cause: opts.cause });
    this.name = 'MediaServerError';
    this.code = code;
    this.status = opts.status;
  }
}

export function isMediaServerError(err: unknown): err is MediaServerError {
  return err instanceof MediaServerError;
}
