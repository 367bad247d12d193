// POST /api/webhooks/{sonarr|radarr|lidarr|readarr}: authenticate before reading a byte, read the
// JSON within its limits (1 MB → 413, deeper than 10 → 400, malformed → 400), and answer at once:
// the folders are persisted as requests and the worker does the rest. Test → 200 { ok: true };
// events without a file change (and unknown ones) → 200 { ok: true, ignored }.
import { authenticateWebhook, readWebhookJson } from '../../webhooks';
import { json } from '../../http/respond';
import { parseArrEvent, type ArrSource } from '../arr-events';
import { persistScanRequests } from '../requests';

export async function receiveArrWebhook(source: ArrSource, req: Request): Promise<Response> {
  await authenticateWebhook(req);
  const body = await readWebhookJson(req);
  const event = parseArrEvent(body);
  if (event.kind === 'test') return json({ ok: true });
  if (event.kind === 'ignored') return json({ ok: true, ignored: event.eventType });
  const queued = await persistScanRequests(event.folders.map((folder) => ({ source, eventType: event.eventType, folder })));
  return json({ queued }, { status: 202 });
}
