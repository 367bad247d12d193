import { notFound } from 'next/navigation';
import { requirePageActor } from '@/lib/auth/current-user';
import { can } from '@/lib/auth/permissions';
import { listUsers } from '@/lib/users';
import { listMediaUserChoices } from '@/lib/history/read';
import { PageHeader } from '@/components/ui/page-header';
import { UsersAdmin } from '@/components/account/users-admin';
import { ReauthDialog } from '@/components/account/reauth-dialog';

export const dynamic = 'force-dynamic';
export const metadata = { title: 'Users' };

export default async function UsersPage() {
  const actor = await requirePageActor();
  if (!can(actor, 'users:manage')) notFound();
  const users = await listUsers(actor);
  // The synced media users, for picking (server, media user) history scopes.
  const servers = await listMediaUserChoices();
  return (
    <>
      <PageHeader title="Users" />
      <UsersAdmin initial={JSON.parse(JSON.stringify(users))} selfId={actor.id} mediaUserOptions={{ servers }} />
      <ReauthDialog />
    </>
  );
}
