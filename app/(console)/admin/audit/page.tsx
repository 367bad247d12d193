import { notFound } from 'next/navigation';
import { requirePageActor } from '@/lib/auth/current-user';
import { can } from '@/lib/auth/permissions';
import { listAuditActions } from '@/lib/audit';
import { PageHeader } from '@/components/ui/page-header';
import { AuditLog } from '@/components/account/audit-log';

export const dynamic = 'force-dynamic';
export const metadata = { title: 'Audit log' };

export default async function AuditPage() {
  const actor = await requirePageActor();
  if (!can(actor, 'audit:view')) notFound();
  return (
    <>
      <PageHeader title="Audit log" />
      <AuditLog actions={await listAuditActions(actor)} />
    </>
  );
}
