import { headers } from 'next/headers';
import { requirePageActor } from '@/lib/auth/current-user';
import { allowedServerIds, can } from '@/lib/auth/permissions';
import { db } from '@/lib/db';
import { listPathMappings, listScanSchedules, listScans, missingAnchors, readScanSettings } from '@/lib/scans';
import { getWebhookUrls, publicOrigin } from '@/lib/webhooks';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { WebhookSetup } from '@/components/autoscan/webhook-setup';
import { ManualScanForm } from '@/components/autoscan/manual-scan-form';
import { MappingsEditor } from '@/components/autoscan/mappings-editor';
import { ScanQueue } from '@/components/autoscan/scan-queue';
import { ScanSettingsForm } from '@/components/autoscan/settings-form';
import { SchedulesPanel } from '@/components/autoscan/schedules-panel';

export const dynamic = 'force-dynamic';
export const metadata = { title: 'Autoscan' };

export default async function Page() {
  const actor = await requirePageActor();
  if (!can(actor, 'scans:view')) {
    return (
      <>
        <PageHeader title="Autoscan" />
        <EmptyState title="Not available to your role">Autoscan is managed by admins and staff.</EmptyState>
      </>
    );
  }
  const admin = can(actor, 'settings:manage');
  const h = await headers();
  const urls = admin ? await getWebhookUrls(actor, publicOrigin({ url: `http://${h.get('host') ?? 'localhost'}/`, headers: h })) : null;
  const allowed = allowedServerIds(actor);
  const servers = await db.mediaServer.findMany({ where: { enabled: true, ...(allowed === null ? {} : { id: { in: allowed } }) }, select: { id: true, name: true }, orderBy: { createdAt: 'asc' } });
  const [mappings, settings, first, schedules] = await Promise.all([listPathMappings(actor), readScanSettings(), listScans(actor, { limit: 200 }), listScanSchedules(actor)]);
  const missing = missingAnchors(settings.anchorFiles);
  return (
    <div className="space-y-10">
      <PageHeader title="Autoscan" />
      {missing.length > 0 ? (
        <p role="alert" className="rounded-lg border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-200">
          Scanning is paused: anchor file {missing.join(', ')} is missing (is the mount down?). Requests wait and resume on their own once it is back.
        </p>
      ) : null}
      {servers.length === 0 ? (
        <EmptyState title="No media server to scan" action={admin ? { href: '/servers', label: 'Add a server' } : undefined}>
          Autoscan sends each import to Plex, Jellyfin or Emby. Requests that arrive before a server is added are kept as skipped rows with the reason.
        </EmptyState>
      ) : null}
      <WebhookSetup urls={urls} />
      {can(actor, 'scans:manage') ? <ManualScanForm servers={servers} /> : null}
      <ScanQueue servers={servers} canManage={can(actor, 'scans:manage')} initial={first.scans} />
      <MappingsEditor mappings={mappings} servers={servers} canManage={admin} />
      <SchedulesPanel schedules={schedules} canManage={admin} />
      {admin ? <ScanSettingsForm initial={settings} /> : null}
    </div>
  );
}
