import { requirePageActor } from '@/lib/auth/current-user';
import { can } from '@/lib/auth/permissions';
import { getLiveView } from '@/lib/servers';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { LiveDashboard } from '@/components/servers/live-dashboard';

export const dynamic = 'force-dynamic';
export const metadata = { title: 'Dashboard' };

export default async function DashboardPage() {
  const actor = await requirePageActor();
  if (!can(actor, 'servers:view')) {
    return (
      <>
        <PageHeader title="Dashboard" />
        <EmptyState title={`Welcome, ${actor.name}`} action={{ href: '/library', label: 'Open the video library' }}>
          Your account can watch the video library and track your sessions.
        </EmptyState>
      </>
    );
  }
  const initial = await getLiveView(actor);
  return (
    <>
      <PageHeader title="Now playing" />
      <LiveDashboard initial={initial} canTerminate={can(actor, 'sessions:terminate')} canManage={can(actor, 'servers:manage')} />
    </>
  );
}
