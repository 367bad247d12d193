import { route } from '@/lib/http/route';
import { sseResponse } from '@/lib/http/sse';
import { requireRequestActor, watchRequestSession } from '@/lib/auth/session';
import { assertCan, canSeeServer } from '@/lib/auth/permissions';
import { liveViewSequence, subscribeLive } from '@/lib/servers';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

// GET /api/events: Server-Sent Events; `live` carries the dashboard view (sessions, health, bandwidth)
// on connect and whenever a permitted server's snapshot changes. Only the first carries the hour of
// bandwidth samples; later ones carry the new samples (`bandwidthAppend`).
export const GET = route(async (req) => {
  const actor = await requireRequestActor(req);
  assertCan(actor, 'servers:view');
  const nextView = liveViewSequence(actor);
  return sseResponse(req, async (sse) => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    const push = async () => {
      timer = null;
      try {
        sse.send('live', await nextView());
      } catch {
        // The next change retries; the stream stays open.
      }
    };
    // Coalesce bursts (a poll cycle touches many servers) into one push.
    const schedule = (serverId: string) => {
      if (!canSeeServer(actor, serverId) || timer) return;
      timer = setTimeout(() => void push(), 150);
    };
    sse.onClose(await subscribeLive(schedule));
    sse.onClose(() => {
      if (timer) clearTimeout(timer);
    });
    // Sign-out, a password change, disabling or demotion end the stream within seconds.
    sse.onClose(watchRequestSession(req, () => sse.close()));
    await push();
  });
});
