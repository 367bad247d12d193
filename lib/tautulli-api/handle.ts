// GET/POST /api/v2: Tautulli's API v2 as Marquee answers it. Validation follows Tautulli's
// api2.py _api_validate in its order (apikey present, cmd present, cmd known, apikey valid), then
// the command runs as the key's owner, limited to what the owner may see; the answer and every
// failure travel in Tautulli's envelope (envelope.ts) with the status Tautulli sends.
import { db } from '../db';
import { actorFromApiToken, requestMeta } from '../auth/session';
import type { UserActor } from '../auth/actor';
import { parseMediaUserPair } from '../history/queries';
import { AppError } from '../http/errors';
import { logger, errorFields } from '../logger';
import { TAUTULLI_COMMANDS } from './registry';
import { TautulliError, type TautulliContext } from './types';
import { readTautulliParams, tautulliParams } from './params';
import { TautulliReply, tautulliFailure, tautulliSuccess } from './envelope';
import { resolveTautulliId } from './ids';

/** The token scope that opens /api/v2 (an "all" token opens it too). */
export const TAUTULLI_SCOPE = 'tautulli';

/**
 * The status of an authentication failure. Tautulli's _api_validate sets 401, but _api_run then
 * replaces every error status but 500 with 400 (api2.py, `elif self._api_result_type == 'error'
 * and self._api_response_code != 500`), so current Tautulli answers a wrong or missing apikey with
 * 400; pytautulli (Home Assistant) reports that as a connection failure, as it does for Tautulli.
 */
export const AUTH_FAILURE_STATUS = 400;

const commandList = () => [...TAUTULLI_COMMANDS.keys()].sort().join(', ');

/** The owner of a key that may call /api/v2, or null ("Invalid apikey"). */
export async function tautulliActor(apikey: string): Promise<UserActor | null> {
  const actor = await actorFromApiToken(apikey);
  if (!actor || actor.mustChangePassword) return null;
  const scopes = actor.tokenScopes ?? [];
  if (!scopes.includes('all') && !scopes.includes(TAUTULLI_SCOPE)) return null;
  return actor;
}

/**
 * The servers the key's owner may see: admins every server; staff and support their allowed
 * servers; everyone else the servers of the media users an admin allowed them.
 */
export async function visibleServerIds(actor: UserActor): Promise<string[]> {
  if (actor.role === 'admin') return (await db.mediaServer.findMany({ select: { id: true }, orderBy: { name: 'asc' } })).map((s) => s.id);
  const ids =
    actor.role === 'staff' || actor.role === 'support'
      ? actor.serverIds
      : actor.mediaUsers.map(parseMediaUserPair).flatMap((p) => (p ? [p.serverId] : []));
  if (ids.length === 0) return [];
  return (await db.mediaServer.findMany({ where: { id: { in: [...new Set(ids)] } }, select: { id: true }, orderBy: { name: 'asc' } })).map((s) => s.id);
}

/** `server_id`: a Marquee server id, or the integer Tautulli id of one (ids.ts, kind "server"). */
async function narrowServers(visible: string[], serverId: string | undefined): Promise<string[]> {
  if (serverId === undefined) return visible;
  if (visible.includes(serverId)) return [serverId];
  if (/^\d{1,9}$/.test(serverId)) {
    const [hit] = await resolveTautulliId('server', Number(serverId), []);
    if (hit && visible.includes(hit.externalId)) return [hit.externalId];
  }
  throw new TautulliError(`Invalid server_id: ${serverId}.`);
}

export async function handleTautulliRequest(req: Request): Promise<Response> {
  try {
    return await answer(req);
  } catch (err) {
    if (err instanceof TautulliError) return tautulliFailure(err.message, err.status);
    // A refusal or a bad input from Marquee's own lib (forbidden, not found, a server that failed):
    // Tautulli answers a command's error with 400 (500 only for an exception).
    if (err instanceof AppError) return tautulliFailure(err.message, err.status >= 500 ? err.status : 400);
    logger.error('tautulli api request failed', errorFields(err));
    return tautulliFailure('Check the logs for errors', 500);
  }
}

async function answer(req: Request): Promise<Response> {
  const values = await readTautulliParams(req);
  const apikey = values.get('apikey');
  const cmd = values.get('cmd');
  if (apikey === undefined) return tautulliFailure('Parameter apikey is required', AUTH_FAILURE_STATUS);
  if (cmd === undefined) return tautulliFailure(`Parameter cmd is required. Possible commands are: ${commandList()}`);
  const command = TAUTULLI_COMMANDS.get(cmd);
  if (!command) return tautulliFailure(`Unknown command: ${cmd}. Possible commands are: ${commandList()}`);
  const outType = values.get('out_type');
  if (outType !== undefined && outType !== 'json') return tautulliFailure(`Unsupported out_type: ${outType}. Marquee answers json only.`);
  const actor = await tautulliActor(apikey);
  if (!actor) return tautulliFailure('Invalid apikey', AUTH_FAILURE_STATUS);

  const params = tautulliParams(values);
  const serverIds = await narrowServers(await visibleServerIds(actor), params.str('server_id'));
  const ctx: TautulliContext = { actor, params, meta: requestMeta(req), serverIds };
  const out = await command.run(ctx);
  if (out instanceof TautulliReply) return tautulliSuccess(out.data, out.message);
  return tautulliSuccess(out);
}
