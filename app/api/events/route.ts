import { route } from '@/lib/http/route';
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
  const encoder = new TextEncoder();
  const nextView = liveViewSequence(actor);
  let cleanup = () => {};
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      let closed = false;
      let timer: ReturnType<typeof setTimeout> | null = null;
      const send = (chunk: string) => {
        if (!closed) {
          try { controller.enqueue(encoder.encode(chunk)); } catch { closed = true; }
        }
      };
      const push = async () => {
        timer = null;
        try {
          send(`event: live\ndata: ${JSON.stringify(await nextView())}\n\n`);
        } catch {
          // The next change retries; the stream stays open.
        }
      };
      // Coalesce bursts (a poll cycle touches many servers) into one push.
      const schedule = (serverId: string) => {
        if (!canSeeServer(actor, serverId) || timer) return;
        timer = setTimeout(() => void push(), 150);
      };
      const unsubscribe = await subscribeLive(schedule);
      const heartbeat = setInterval(() => send(': keep-alive\n\n'), 15_000);
      // Sign-out, a password change, disabling or demotion end the stream within seconds.
      const stopWatching = watchRequestSession(req, () => cleanup());
      cleanup = () => {
        if (closed) return;
        closed = true;
        stopWatching();
        unsubscribe();
        clearInterval(heartbeat);
        if (timer) clearTimeout(timer);
        try { controller.close(); } catch { /* already closed */ }
      };
      req.signal.addEventListener('abort', () => cleanup());
      send('retry: 3000\n\n');
      await push();
    },
    cancel() {
      cleanup();
    },
  });
  return new Response(stream, {
    headers: { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache, no-transform', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' },
  });
});
