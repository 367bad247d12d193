// GET /api/health: liveness of the database and the worker (public, for monitors and compose)
import { json } from '@/lib/http/respond';
import { getHealth } from '@/lib/system/health';

export const dynamic = 'force-dynamic';

export async function GET() {
  const health = await getHealth();
  return json(health, { status: health.db === 'ok' ? 200 : 503 });
}
