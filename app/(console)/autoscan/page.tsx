import { requirePageActor } from '@/lib/auth/current-user';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';

export const dynamic = 'force-dynamic';
export const metadata = { title: 'Autoscan' };

export default async function Page() {
  await requirePageActor();
  return (
    <>
      <PageHeader title="Autoscan" />
      <EmptyState title="Coming soon">Sonarr, Radarr, Lidarr and Readarr webhooks turned into targeted library scans will be managed here. Autoscan is not built yet.</EmptyState>
    </>
  );
}
