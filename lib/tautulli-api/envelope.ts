// Tautulli's response envelope: `{ "response": { "result", "message", "data" } }` (api2.py _api_responds).
import { json } from '../http/respond';

/** A command's answer with a message (Tautulli moves a returned `message` into the envelope: "Ok", "Session terminated."). */
export class TautulliReply {
  constructor(
    readonly data: unknown,
    readonly message: string | null,
  ) {}
}

export function tautulliSuccess(data: unknown, message: string | null = null): Response {
  return json({ response: { result: 'success', message, data: data ?? {} } });
}

/**
 * An error in Tautulli's envelope. Tautulli's _api_run ends every error that is not a 500 with 400,
 * including "Invalid apikey" and "Parameter apikey is required" (_api_validate sets 401, then
 * `elif self._api_result_type == 'error' and self._api_response_code != 500: … = 400` replaces it).
 */
export function tautulliFailure(message: string, status = 400): Response {
  return json({ response: { result: 'error', message, data: {} } }, { status });
}
