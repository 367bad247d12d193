import { Suspense } from 'react';
import { requirePageActor } from '@/lib/auth/current-user';
import { assertCan, can, serverScope } from '@/lib/auth/permissions';
import { db } from '@/lib/db';
import { PageHeader } from '@/components/ui/page-header';
import { AnalyticsView } from '@/components/analytics/analytics-view';

export const dynamic = 'force-dynamic';
export const metadata = { title: 'Analytics' };

export default async function AnalyticsPage() {
  const actor = await requirePageActor();
  assertCan(actor, 'analytics:view');
  const servers = await db.mediaServer.findMany({ where: serverScope(actor), select: { id: true, name: true }, orderBy: { name: 'asc' } });
  return (
    <>
      <PageHeader title="Analytics" />
      <Suspense>
        <AnalyticsView initial={null} servers={servers} canImport={can(actor, 'history:import')} />
      </Suspense>
    </>
  );
}
