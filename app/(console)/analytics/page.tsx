import { Suspense } from 'react';
import { requirePageActor } from '@/lib/auth/current-user';
import { assertCan, can, serverScope } from '@/lib/auth/permissions';
import { db } from '@/lib/db';
import { getAnalytics } from '@/lib/analytics';
import { AppError } from '@/lib/http/errors';
import { PageHeader } from '@/components/ui/page-header';
import { AnalyticsView } from '@/components/analytics/analytics-view';
import { analyticsApiPath, analyticsSearch, parseAnalyticsParams } from '@/components/analytics/query';

export const dynamic = 'force-dynamic';
export const metadata = { title: 'Analytics' };

type SP = Promise<Record<string, string | string[] | undefined>>;

// The first report is rendered here, from the URL's filters; the view fetches GET /api/analytics
// itself when the range or server changes.
export default async function AnalyticsPage({ searchParams }: { searchParams: SP }) {
  const actor = await requirePageActor();
  // The same capability as GET /api/analytics: what the actor may see of history, scoped like it.
  assertCan(actor, 'history:view');
  const params = parseAnalyticsParams(await searchParams);
  const servers = await db.mediaServer.findMany({ where: serverScope(actor), select: { id: true, name: true }, orderBy: { name: 'asc' } });
  let initial = null;
  try {
    const report = await getAnalytics(actor, Object.fromEntries(new URLSearchParams(analyticsSearch(params, { forApi: true }))));
    initial = { path: analyticsApiPath(params), report };
  } catch (err) {
    // A bad filter in a shared link (an unknown timezone, a range too long): the view asks the API
    // again and shows its message next to the filters. Anything else is the error page's.
    if (!(err instanceof AppError) || err.status >= 500) throw err;
  }
  return (
    <>
      <PageHeader title="Analytics" />
      <Suspense>
        <AnalyticsView initial={initial} servers={servers} canImport={can(actor, 'history:import')} />
      </Suspense>
    </>
  );
}
