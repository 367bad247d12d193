import { handleTautulliRequest } from '@/lib/tautulli-api/handle';

export const dynamic = 'force-dynamic';

// GET/POST /api/v2?apikey=<token with the "tautulli" or "all" scope>&cmd=<command>&… → Tautulli's envelope
// { response: { result, message, data } } (lib/tautulli-api). Errors in the same envelope, never Marquee's.
export const GET = (req: Request) => handleTautulliRequest(req);
export const POST = (req: Request) => handleTautulliRequest(req);
