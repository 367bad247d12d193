// The console's navigation: one entry per module (docs/ARCHITECTURE.md), shown to the roles that may use it.
import type { Permission } from '@/lib/auth/permissions';

export interface NavItem {
  href: string;
  label: string;
  permission: Permission;
}

export const NAV: NavItem[] = [
  { href: '/', label: 'Dashboard', permission: 'servers:view' },
  { href: '/servers', label: 'Servers', permission: 'servers:view' },
  { href: '/history', label: 'History', permission: 'history:view' },
  { href: '/analytics', label: 'Analytics', permission: 'history:view' },
  { href: '/autoscan', label: 'Autoscan', permission: 'scans:view' },
  { href: '/library', label: 'Library', permission: 'videos:watch' },
  { href: '/tracker', label: 'Tracker', permission: 'tracker:use' },
  { href: '/admin/users', label: 'Users', permission: 'users:manage' },
  { href: '/admin/audit', label: 'Audit log', permission: 'audit:view' },
  { href: '/admin/jobs', label: 'Jobs', permission: 'settings:manage' },
];
