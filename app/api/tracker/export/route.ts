import { route } from '@/lib/http/route';
import { requireRequestActor } from '@/lib/auth/session';
import { exportQuerySchema, listItemsForExport, toCsv, TRACKER_CSV_COLUMNS } from '@/lib/tracker';

export const dynamic = 'force-dynamic';

// GET /api/tracker/export?from=YYYY-MM-DD&to=YYYY-MM-DD: the caller's items of those days (their timezone) as CSV
export const GET = route(async (req) => {
  const actor = await requireRequestActor(req);
  const q = exportQuerySchema.parse(Object.fromEntries(new URL(req.url).searchParams));
  const { items } = await listItemsForExport(actor, q.from, q.to);
  return new Response(toCsv(items, TRACKER_CSV_COLUMNS), {
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="tracker-${q.from}-to-${q.to}.csv"`,
      'cache-control': 'no-store',
    },
  });
});
