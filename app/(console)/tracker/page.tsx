import { requirePageActor } from '@/lib/auth/current-user';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';

export const dynamic = 'force-dynamic';
export const metadata = { title: 'Tracker' };

export default async function Page() {
  await requirePageActor();
  return (
    <>
      <PageHeader title="Tracker" />
      <EmptyState title="Coming soon">Per-item pace tracking fed by the browser widget will appear here. The session tracker is not built yet.</EmptyState>
    </>
  );
}
