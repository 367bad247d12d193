// What the dashboard shows, in one payload: sessions, server health and the last hour of bandwidth,
// limited to the servers the viewer may see. Sent on SSE connect and after every snapshot change.
import type { Actor } from '../auth/actor';
import { getBandwidth } from './bandwidth';
import { listServers } from './crud';
import { listSessions } from './sessions';

export async function getLiveView(actor: Actor) {
  const [servers, sessions, bandwidth] = await Promise.all([listServers(actor), listSessions(actor), getBandwidth(actor)]);
  return { servers, sessions, bandwidth, at: new Date().toISOString() };
}
export type LiveView = Awaited<ReturnType<typeof getLiveView>>;
