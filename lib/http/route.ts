// Wraps a route handler: catches and maps errors to the API's error body, so handlers only
// authenticate, parse, call a domain function and respond.
import { toErrorResponse } from './respond';
import { AppError } from './errors';

type Handler<C> = (req: Request, ctx: C) => Promise<Response> | Response;

export function route<C = { params: Promise<Record<string, string>> }>(handler: Handler<C>): Handler<C> {
  return async (req, ctx) => {
    try {
      return await handler(req, ctx);
    } catch (err) {
      return toErrorResponse(err);
    }
  };
}

/** Parses a JSON body, turning an empty or malformed body into a 400. */
export async function readJson(req: Request): Promise<unknown> {
  const text = await req.text();
  if (!text.trim()) return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new AppError('bad_request', 'The request body is not valid JSON.');
  }
}
