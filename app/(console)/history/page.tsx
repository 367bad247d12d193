import { requirePageActor } from '@/lib/auth/current-user';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';

export const dynamic = 'force-dynamic';
export const metadata = { title: 'History' };

export default async function Page() {
  await requirePageActor();
  return (
    <>
      <PageHeader title="History" />
      <EmptyState title="Coming soon">Every play on your servers, stitched from polls and webhooks, will be listed here with filters and CSV/JSON export. History collection is not built yet.</EmptyState>
    </>
  );
}
