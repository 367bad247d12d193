import { requirePageActor } from '@/lib/auth/current-user';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';

export const dynamic = 'force-dynamic';
export const metadata = { title: 'Analytics' };

export default async function Page() {
  await requirePageActor();
  return (
    <>
      <PageHeader title="Analytics" />
      <EmptyState title="Coming soon">Charts of plays, users, watch time and transcodes per server will appear here. Analytics are not built yet.</EmptyState>
    </>
  );
}
