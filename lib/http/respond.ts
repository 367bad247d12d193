import { ZodError } from 'zod';
import { AppError } from './errors';
import { logger, errorFields } from '../logger';

export function json(body: unknown, init: ResponseInit = {}): Response {
  const headers = new Headers(init.headers);
  headers.set('content-type', 'application/json; charset=utf-8');
  if (!headers.has('cache-control')) headers.set('cache-control', 'no-store');
  return new Response(JSON.stringify(body, bigintSafe), { ...init, headers });
}

function bigintSafe(_key: string, value: unknown) {
  return typeof value === 'bigint' ? value.toString() : value;
}

export interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

/** Maps any thrown value to the API's error body and status (the one place that does so). */
export function toErrorResponse(err: unknown): Response {
  if (err instanceof AppError) {
    const body: ErrorBody = { error: { code: err.code, message: err.message } };
    if (err.details !== undefined) body.error.details = err.details;
    return json(body, { status: err.status, headers: err.headers });
  }
  if (err instanceof ZodError) {
    const first = err.issues[0];
    const where = first?.path.length ? `${first.path.join('.')}: ` : '';
    return json(
      {
        error: {
          code: 'validation_failed',
          message: `${where}${first?.message ?? 'invalid input'}`,
          details: err.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
        },
      },
      { status: 422 },
    );
  }
  const code = (err as { code?: unknown } | null)?.code;
  if (code === 'P2002') return json({ error: { code: 'conflict', message: 'That already exists.' } }, { status: 409 });
  if (code === 'P2025') return json({ error: { code: 'not_found', message: 'Resource not found.' } }, { status: 404 });
  // PostgreSQL text cannot hold a NUL character: input carrying one (a query, a body, a path segment) is bad input.
  if ((err as { meta?: { driverAdapterError?: { cause?: { originalCode?: unknown } } } } | null)?.meta?.driverAdapterError?.cause?.originalCode === '22021') {
    return json({ error: { code: 'bad_request', message: 'Text must not contain NUL characters.' } }, { status: 400 });
  }
  if (err instanceof SyntaxError) {
    return json({ error: { code: 'bad_request', message: 'The request body is not valid JSON.' } }, { status: 400 });
  }
  logger.error('unhandled error in route', errorFields(err));
  return json({ error: { code: 'internal_error', message: 'Something went wrong on our side.' } }, { status: 500 });
}
