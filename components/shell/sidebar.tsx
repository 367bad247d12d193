'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { signOut } from 'next-auth/react';
import { useState } from 'react';
import { ThemeToggle } from '@/components/ui/theme-toggle';

export function Sidebar({ items, user }: { items: { href: string; label: string }[]; user: { name: string; role: string } }) {
  const pathname = usePathname();
  const [open, setOpen] = useState(false);
  const active = (href: string) => (href === '/' ? pathname === '/' : pathname === href || pathname.startsWith(`${href}/`));
  return (
    <>
      <div className="flex items-center justify-between border-b border-zinc-200 px-4 py-3 md:hidden dark:border-zinc-800">
        <span className="font-bold">Marquee</span>
        <button type="button" onClick={() => setOpen((o) => !o)} aria-expanded={open} aria-controls="sidebar" className="rounded px-2 py-1">
          Menu
        </button>
      </div>
      <aside
        id="sidebar"
        className={`${open ? 'block' : 'hidden'} w-full shrink-0 border-r border-zinc-200 bg-white md:block md:min-h-screen md:w-56 dark:border-zinc-800 dark:bg-zinc-900`}
      >
        <div className="hidden px-5 py-5 text-xl font-bold tracking-tight md:block">Marquee</div>
        <nav aria-label="Main" className="px-2">
          <ul className="space-y-0.5">
            {items.map((item) => (
              <li key={item.href}>
                <Link
                  href={item.href}
                  aria-current={active(item.href) ? 'page' : undefined}
                  onClick={() => setOpen(false)}
                  className={`block rounded-md px-3 py-2 text-sm ${
                    active(item.href)
                      ? 'bg-indigo-50 font-medium text-indigo-700 dark:bg-indigo-950 dark:text-indigo-300'
                      : 'text-zinc-700 hover:bg-zinc-100 dark:text-zinc-300 dark:hover:bg-zinc-800'
                  }`}
                >
                  {item.label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <div className="mt-6 space-y-2 border-t border-zinc-200 px-4 py-4 text-sm dark:border-zinc-800">
          <Link href="/account" className="block font-medium hover:underline" data-testid="current-user">
            {user.name}
          </Link>
          <div className="text-xs uppercase tracking-wide text-zinc-500">{user.role}</div>
          <div className="flex items-center gap-2">
            <ThemeToggle />
            <button
              type="button"
              onClick={() => signOut({ callbackUrl: '/login' })}
              className="rounded-md px-2 py-1 text-sm text-zinc-600 hover:bg-zinc-200 dark:text-zinc-300 dark:hover:bg-zinc-800"
            >
              Sign out
            </button>
          </div>
        </div>
      </aside>
    </>
  );
}
