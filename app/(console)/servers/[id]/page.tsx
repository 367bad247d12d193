import { notFound } from 'next/navigation';
import { requirePageActor } from '@/lib/auth/current-user';
import { can } from '@/lib/auth/permissions';
import { isAppError } from '@/lib/http/errors';
import { getServerOrThrow, listMediaLibraries, listMediaUsers, publicServer } from '@/lib/servers';
import { PageHeader } from '@/components/ui/page-header';
import { HealthBadge } from '@/components/servers/health-badge';
import { SyncButton } from '@/components/servers/sync-button';
import { LibraryAccessEditor } from '@/components/servers/library-access-editor';
import { MediaSignInToggle } from '@/components/servers/media-sign-in-toggle';

export const dynamic = 'force-dynamic';

export default async function ServerPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requirePageActor();
  const { id } = await params;
  let server;
  try {
    server = publicServer(await getServerOrThrow(actor, id));
  } catch (err) {
    if (isAppError(err) && (err.status === 404 || err.status === 403)) notFound();
    throw err;
  }
  const manageUsers = can(actor, 'media-users:manage');
  const [users, libraries] = await Promise.all([manageUsers ? listMediaUsers(actor, id) : Promise.resolve([]), listMediaLibraries(actor, id)]);
  return (
    <div className="space-y-6">
      <PageHeader title={server.name}>
        <HealthBadge health={server.health} error={server.lastError} />
        {manageUsers ? <SyncButton serverId={id} /> : null}
      </PageHeader>
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        <span className="capitalize">{server.type}</span> {server.version ?? ''} · <span className="font-mono">{server.url}</span> · polled every {server.pollIntervalS}s
        {server.lastError ? <span className="block text-red-600 dark:text-red-400">Last error: {server.lastError}</span> : null}
      </p>
      {can(actor, 'servers:manage') ? <MediaSignInToggle serverId={id} type={server.type} initial={server.mediaUserSignIn} /> : null}
      <section aria-label="Libraries">
        <h2 className="mb-2 text-lg font-semibold">Libraries</h2>
        {libraries.length === 0 ? <p className="text-sm text-zinc-500">Not synced yet.{manageUsers ? ' Use “Sync users & libraries”.' : ''}</p> : (
          <ul className="divide-y divide-zinc-200 rounded-lg border border-zinc-200 text-sm dark:divide-zinc-800 dark:border-zinc-800">
            {libraries.map((l) => <li key={l.id} className="p-2"><span className="font-medium">{l.name}</span> <span className="text-zinc-500">{l.type}</span> <span className="font-mono text-xs">{l.paths.join(', ')}</span></li>)}
          </ul>
        )}
      </section>
      {manageUsers ? (<section aria-label="Media users">
        <h2 className="mb-2 text-lg font-semibold">Media users</h2>
        {users.length === 0 ? <p className="text-sm text-zinc-500">Not synced yet.</p> : (
          <table className="w-full text-left text-sm">
            <thead className="text-zinc-500"><tr><th className="py-1">Name</th><th>Role</th><th>Library access</th></tr></thead>
            <tbody>
              {users.map((u) => (
                <tr key={u.id} className="border-t border-zinc-200 align-top dark:border-zinc-800">
                  <td className="py-2">{u.name}{u.isDisabled ? <span className="ml-1 text-xs text-zinc-500">(disabled)</span> : null}</td>
                  <td>{u.isAdmin ? 'admin' : 'user'}</td>
                  <td>{manageUsers ? <LibraryAccessEditor serverId={id} userId={u.id} libraries={libraries.map((l) => ({ externalId: l.externalId, name: l.name }))} /> : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>) : null}
    </div>
  );
}
