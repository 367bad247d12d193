import { route } from '@/lib/http/route';
import { AppError } from '@/lib/http/errors';
import { csvDownloadHeaders } from '@/lib/http/csv';
import { requireRequestActor, requestMeta } from '@/lib/auth/session';
import { assertCan } from '@/lib/auth/permissions';
import { recordAudit } from '@/lib/audit';
import { exportFilename, exportPlays, historyExportFormatSchema, historyFilterSchema } from '@/lib/history/read';

export const dynamic = 'force-dynamic';

// GET /api/history/export?format=csv|json|ndjson (+ the /api/history filters): every matching play, streamed
export const GET = route(async (req) => {
  const actor = await requireRequestActor(req);
  assertCan(actor, 'history:view');
  const params = new URL(req.url).searchParams;
  const format = historyExportFormatSchema.safeParse(params.get('format') ?? 'csv');
  if (!format.success) throw new AppError('invalid_format', 'format must be csv, json or ndjson.', { status: 400 });
  params.delete('format');
  const filters = historyFilterSchema.parse(Object.fromEntries(params));
  const body = exportPlays(actor, filters, format.data);
  await recordAudit({ actor, action: 'history.exported', target: { type: 'history' }, meta: requestMeta(req), detail: { format: format.data, filters: Object.fromEntries(params) } });
  const filename = exportFilename(filters, format.data);
  // no-transform: Next's gzip of a CSV that PostgreSQL writes at COPY speed costs the web process
  // more CPU than the whole query and caps the download at gzip's pace (bench:export).
  const headers: Record<string, string> =
    format.data === 'csv'
      ? { ...csvDownloadHeaders(filename), 'cache-control': 'no-store, no-transform' }
      : { 'content-type': format.data === 'json' ? 'application/json; charset=utf-8' : 'application/x-ndjson; charset=utf-8', 'content-disposition': `attachment; filename="${filename}"`, 'cache-control': 'no-store' };
  return new Response(body, { headers });
});
