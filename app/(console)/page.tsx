import { requirePageActor } from '@/lib/auth/current-user';
import { can } from '@/lib/auth/permissions';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';

export const dynamic = 'force-dynamic';
export const metadata = { title: 'Dashboard' };

export default async function DashboardPage() {
  const actor = await requirePageActor();
  return (
    <>
      <PageHeader title="Dashboard" />
      {can(actor, 'servers:view') ? (
        <EmptyState title="Nothing is playing" action={can(actor, 'servers:manage') ? { href: '/servers', label: 'Add a media server' } : undefined}>
          Now-playing cards for your Plex, Jellyfin and Emby servers appear here once a server is connected.
        </EmptyState>
      ) : (
        <EmptyState title={`Welcome, ${actor.name}`} action={{ href: '/library', label: 'Open the video library' }}>
          Your account can watch the video library and track your sessions.
        </EmptyState>
      )}
    </>
  );
}
