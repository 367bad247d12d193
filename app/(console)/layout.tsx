import { requirePageActor } from '@/lib/auth/current-user';
import { can } from '@/lib/auth/permissions';
import { NAV } from '@/components/shell/nav';
import { Sidebar } from '@/components/shell/sidebar';

export const dynamic = 'force-dynamic';

// Loads the current user once and redirects when absent (a UX nicety: every page, action and
// API route checks again on the server).
export default async function ConsoleLayout({ children }: { children: React.ReactNode }) {
  const actor = await requirePageActor();
  const items = NAV.filter((i) => can(actor, i.permission)).map(({ href, label }) => ({ href, label }));
  return (
    <div className="md:flex">
      <Sidebar items={items} user={{ name: actor.name, role: actor.role }} />
      <main className="min-w-0 flex-1 px-4 py-6 md:px-8">{children}</main>
    </div>
  );
}
