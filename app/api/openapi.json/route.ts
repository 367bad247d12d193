// GET /api/openapi.json: the OpenAPI 3.1 description of this API (public; built once per process)
import { json } from '@/lib/http/respond';
import { buildOpenApi } from '@/lib/openapi';

export const dynamic = 'force-dynamic';

let doc: ReturnType<typeof buildOpenApi> | undefined;

export function GET() {
  doc ??= buildOpenApi();
  return json(doc, { headers: { 'cache-control': 'public, max-age=300' } });
}
