import { Suspense } from 'react';
import type { UserActor } from '@/lib/auth/actor';
import { requirePageActor } from '@/lib/auth/current-user';
import { can } from '@/lib/auth/permissions';
import { getAnalytics } from '@/lib/analytics';
import { logger, errorFields } from '@/lib/logger';
import { getLiveView } from '@/lib/servers';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { LiveDashboard } from '@/components/servers/live-dashboard';
import { Last7DaysStrip } from '@/components/analytics/last-7-days-strip';

export const dynamic = 'force-dynamic';
export const metadata = { title: 'Dashboard' };

// The last 7 days of the plays the actor may see; streamed in, so the live view never waits for it,
// and left out (logged) if it fails. Accounts without servers see it once they have plays.
async function RecentPlays({ actor }: { actor: UserActor }) {
  const report = await getAnalytics(actor, { range: '7d', limit: 5 }).catch((err: unknown) => {
    logger.warn('dashboard: last 7 days not shown', errorFields(err));
    return null;
  });
  if (!report || (report.summary.plays === 0 && !can(actor, 'servers:view'))) return null;
  return <Last7DaysStrip report={report} />;
}

export default async function DashboardPage() {
  const actor = await requirePageActor();
  const recent = can(actor, 'history:view') ? (
    <Suspense fallback={<div className="mb-6 h-32 animate-pulse rounded-lg border border-zinc-200 dark:border-zinc-800" aria-hidden />}>
      <RecentPlays actor={actor} />
    </Suspense>
  ) : null;
  if (!can(actor, 'servers:view')) {
    return (
      <>
        <PageHeader title="Dashboard" />
        {recent}
        <EmptyState title={`Welcome, ${actor.name}`} action={{ href: '/library', label: 'Open the video library' }}>
          Your account can watch the video library and track your sessions.
        </EmptyState>
      </>
    );
  }
  const initial = await getLiveView(actor);
  return (
    <>
      {recent}
      <PageHeader title="Now playing" />
      <LiveDashboard initial={initial} canTerminate={can(actor, 'sessions:terminate')} canManage={can(actor, 'servers:manage')} />
    </>
  );
}
