// Tautulli API v2 (`/api/v2?apikey=…&cmd=…`) as Marquee speaks it: the command contract shared by
// every command file. Commands read Marquee's own data (sessions, plays, analytics) through lib/
// and answer in Tautulli's shapes; the route (app/api/v2/route.ts) wraps them in Tautulli's envelope.
import type { RequestMeta, UserActor } from '../auth/actor';

/** Tautulli's lenient parameters: every value arrives as a string (query string or form body). */
export interface TautulliParams {
  /** The raw value, or undefined when absent or empty. */
  str(name: string): string | undefined;
  /** An integer ("10", "10.0", 10); undefined when absent; a TautulliError when not a number. */
  int(name: string): number | undefined;
  /** Tautulli's truthy strings: "1", "true", "True", "yes", "on". */
  bool(name: string): boolean | undefined;
  /** str() that must be present: a TautulliError naming the parameter as Tautulli does otherwise. */
  required(name: string): string;
}

export interface TautulliContext {
  actor: UserActor;
  params: TautulliParams;
  meta: RequestMeta;
  /** The servers the call covers: `server_id` narrows it; otherwise every server the key's owner may see. */
  serverIds: string[];
}

export interface TautulliCommand {
  name: string;
  /** `data` of the envelope (Tautulli sends null for commands with nothing to return). */
  run(ctx: TautulliContext): Promise<unknown>;
}

/** A failed command: answered as `{ response: { result: "error", message, data: {} } }` with `status`. */
export class TautulliError extends Error {
  constructor(message: string, readonly status = 400) {
    super(message);
  }
}
