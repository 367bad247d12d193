import { route } from '@/lib/http/route';
import { AppError } from '@/lib/http/errors';
import { csvDownloadHeaders } from '@/lib/http/csv';
import { requireRequestActor, requestMeta } from '@/lib/auth/session';
import { assertCan } from '@/lib/auth/permissions';
import { auditExportFormatSchema, exportAudit, parseAuditQuery, recordAudit } from '@/lib/audit';

export const dynamic = 'force-dynamic';

// GET /api/audit/export?format=csv|json (+ the /api/audit filters): the whole matching log, streamed
export const GET = route(async (req) => {
  const actor = await requireRequestActor(req);
  assertCan(actor, 'audit:view');
  const params = new URL(req.url).searchParams;
  const parsed = auditExportFormatSchema.safeParse(params.get('format') ?? undefined);
  if (!parsed.success) throw new AppError('invalid_format', 'format must be csv or json.', { status: 400 });
  const format = parsed.data;
  params.delete('format');
  const q = parseAuditQuery(params);
  await recordAudit({ actor, action: 'audit.exported', target: { type: 'audit' }, meta: requestMeta(req), detail: { format, filters: Object.fromEntries(params) } });
  const filename = `marquee-audit-${new Date().toISOString().slice(0, 10)}.${format}`;
  return new Response(exportAudit(actor, q, format), {
    headers:
      format === 'csv'
        ? csvDownloadHeaders(filename)
        : { 'content-type': 'application/json; charset=utf-8', 'content-disposition': `attachment; filename="${filename}"`, 'cache-control': 'no-store' },
  });
});
