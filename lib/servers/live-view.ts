// What the dashboard shows, in one payload: sessions, server health and the last hour of bandwidth,
// limited to the servers the viewer may see. Sent on SSE connect and after every snapshot change.
import type { Actor } from '../auth/actor';
import { getBandwidth } from './bandwidth';
import { listServers } from './crud';
import { listSessions } from './sessions';

/** `bandwidthAfter`: per server, the newest sample the client holds; the view then carries only newer ones (`bandwidthAppend`). */
export async function getLiveView(actor: Actor, bandwidthAfter?: Record<string, string>) {
  const [servers, sessions, bandwidth] = await Promise.all([listServers(actor), listSessions(actor), getBandwidth(actor, bandwidthAfter)]);
  return { servers, sessions, bandwidth, bandwidthAppend: bandwidthAfter !== undefined, at: new Date().toISOString() };
}
export type LiveView = Awaited<ReturnType<typeof getLiveView>>;

/**
 * The successive views of one live stream: the first carries the last hour of bandwidth, each later
 * one only the samples since the one before (the client appends them with `mergeBandwidth`). Calls
 * run one after another, so no sample is sent twice.
 */
export function liveViewSequence(actor: Actor): () => Promise<LiveView> {
  let after: Record<string, string> | undefined;
  let previous: Promise<unknown> = Promise.resolve();
  const next = async () => {
    const view = await getLiveView(actor, after);
    after = { ...after };
    for (const [id, points] of Object.entries(view.bandwidth)) if (points.length) after[id] = points[points.length - 1]!.at;
    return view;
  };
  return () => {
    const view = previous.then(next);
    previous = view.catch(() => {});
    return view;
  };
}
