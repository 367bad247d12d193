'use client';

import { useState } from 'react';
import { Field, FormOutcomeLine, SelectField, buttonClass } from '@/components/ui/form';
import { ROLES } from '@/lib/auth/actor';
import type { PublicUser } from '@/lib/users/manage';
import { callApi, useApiAction, type Wire } from '@/components/ui/api';
import { MediaUserPairsField, type MediaUserPairOptions } from '@/components/history/media-user-pairs-field';

export type AdminUserRow = Wire<PublicUser>;

const list = (v: FormDataEntryValue | null) =>
  String(v ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

export function UsersAdmin({ initial, selfId, mediaUserOptions = { servers: [] } }: { initial: AdminUserRow[]; selfId: string; mediaUserOptions?: MediaUserPairOptions }) {
  const [users, setUsers] = useState(initial);
  const [editing, setEditing] = useState<string | null>(null);
  const action = useApiAction();
  const pending = action.pending;
  // Every change ends with the list read again.
  const run = (fn: () => Promise<string>) =>
    action.run(async () => {
      const text = await fn();
      setUsers((await callApi<{ users: AdminUserRow[] }>('/api/users')).users);
      return text;
    });

  return (
    <div className="space-y-6">
      <details className="rounded-xl border border-zinc-200 p-4 dark:border-zinc-800">
        <summary className="cursor-pointer font-medium">Create a user</summary>
        <form
          className="mt-4 grid gap-3 sm:grid-cols-2"
          onSubmit={(e) => {
            e.preventDefault();
            const el = e.currentTarget;
            const f = new FormData(el);
            run(async () => {
              await callApi('/api/users', {
                method: 'POST',
                body: {
                  email: f.get('email'),
                  name: f.get('name'),
                  role: f.get('role'),
                  password: f.get('password'),
                  timezone: f.get('timezone') || 'UTC',
                  allowedServerIds: list(f.get('allowedServerIds')),
                  allowedMediaUsers: f.getAll('allowedMediaUsers').map(String),
                },
              });
              el.reset();
              return `Created ${String(f.get('email'))}. They must change the temporary password at first sign-in.`;
            });
          }}
        >
          <Field label="Email" name="email" type="email" required />
          <Field label="Name" name="name" required />
          <SelectField label="Role" name="role" defaultValue="viewer" options={ROLES} />
          <Field label="Temporary password" name="password" type="text" required autoComplete="off" hint="12+ characters, upper, lower, digit, symbol." />
          <Field label="Time zone" name="timezone" placeholder="UTC" />
          <Field label="Allowed server ids" name="allowedServerIds" hint="Comma-separated (staff/support)." />
          <MediaUserPairsField name="allowedMediaUsers" options={mediaUserOptions} />
          <div className="sm:col-span-2">
            <button type="submit" className={buttonClass} disabled={pending}>
              Create user
            </button>
          </div>
        </form>
      </details>

      <FormOutcomeLine outcome={action.outcome} />

      <table className="w-full text-left text-sm">
        <thead className="text-xs uppercase text-zinc-500">
          <tr>
            <th className="py-2">User</th>
            <th>Role</th>
            <th>Status</th>
            <th>Last sign-in</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {users.map((u) => (
            <UserRow key={u.id} u={u} self={u.id === selfId} editing={editing === u.id} setEditing={setEditing} run={run} pending={pending} mediaUserOptions={mediaUserOptions} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function UserRow({
  u,
  self,
  editing,
  setEditing,
  run,
  pending,
  mediaUserOptions,
}: {
  mediaUserOptions: MediaUserPairOptions;
  u: AdminUserRow;
  self: boolean;
  editing: boolean;
  setEditing: (id: string | null) => void;
  run: (fn: () => Promise<string>) => void;
  pending: boolean;
}) {
  return (
    <>
      <tr className="border-t border-zinc-200 dark:border-zinc-800" data-testid={`user-${u.email}`}>
        <td className="py-2">
          <div className="font-medium">{u.name}</div>
          <div className="text-zinc-500">{u.email}</div>
        </td>
        <td>{u.role}</td>
        <td>
          {u.active ? 'active' : 'disabled'}
          {u.mustChangePassword ? ' · must change password' : ''}
          {u.totpEnabled ? ' · 2FA' : ''}
          {u.lock.accountLockedUntil ? (
            <span className="block text-xs text-red-700 dark:text-red-400">sign-in locked until {new Date(u.lock.accountLockedUntil).toLocaleTimeString()}</span>
          ) : null}
          {u.lock.lockedClients ? (
            <span className="block text-xs text-amber-700 dark:text-amber-400">
              {u.lock.lockedClients} {u.lock.lockedClients === 1 ? 'client' : 'clients'} locked out after failed sign-ins
            </span>
          ) : null}
        </td>
        <td>{u.lastLoginAt ? new Date(u.lastLoginAt).toLocaleString() : 'never'}</td>
        <td className="space-x-3 text-right">
          {u.lock.accountLockedUntil || u.lock.lockedClients ? (
            <button
              type="button"
              className="text-red-700 hover:underline dark:text-red-400"
              disabled={pending}
              onClick={() =>
                run(async () => {
                  await callApi(`/api/users/${u.id}/unlock`, { method: 'POST' });
                  return `Sign-in locks lifted for ${u.email}.`;
                })
              }
            >
              Unlock
            </button>
          ) : null}
          <button type="button" className="hover:underline" onClick={() => setEditing(editing ? null : u.id)}>
            {editing ? 'Close' : 'Edit'}
          </button>
        </td>
      </tr>
      {editing ? (
        <tr>
          <td colSpan={5} className="pb-4">
            <form
              className="grid gap-3 rounded-lg bg-zinc-50 p-4 sm:grid-cols-3 dark:bg-zinc-900"
              onSubmit={(e) => {
                e.preventDefault();
                const f = new FormData(e.currentTarget);
                run(async () => {
                  await callApi(`/api/users/${u.id}`, {
                    method: 'PATCH',
                    body: {
                      role: f.get('role'),
                      active: f.get('active') === 'on',
                      timezone: f.get('timezone'),
                      allowedServerIds: list(f.get('allowedServerIds')),
                      allowedMediaUsers: f.getAll('allowedMediaUsers').map(String),
                    },
                  });
                  return `Saved ${u.email}.`;
                });
              }}
            >
              <SelectField label="Role" name="role" defaultValue={u.role} options={ROLES} />
              <label className="flex items-center gap-2 text-sm">
                <input type="checkbox" name="active" defaultChecked={u.active} /> Active
              </label>
              <Field label="Time zone" name="timezone" defaultValue={u.timezone} />
              <Field label="Allowed server ids" name="allowedServerIds" defaultValue={u.allowedServerIds.join(', ')} />
              <MediaUserPairsField name="allowedMediaUsers" options={mediaUserOptions} defaultValue={u.allowedMediaUsers} />
              <div className="flex items-end gap-2">
                <button type="submit" className={buttonClass} disabled={pending}>
                  Save
                </button>
              </div>
            </form>
            <div className="mt-3 flex flex-wrap items-end gap-3">
              <form
                className="flex items-end gap-2"
                onSubmit={(e) => {
                  e.preventDefault();
                  const f = new FormData(e.currentTarget);
                  run(async () => {
                    await callApi(`/api/users/${u.id}/password`, { method: 'POST', body: { password: f.get('password'), revokeTokens: f.get('revokeTokens') === 'on' } });
                    return `Password reset; ${u.email} is signed out everywhere and must change it at next sign-in.`;
                  });
                }}
              >
                <Field label="New temporary password" name="password" type="text" autoComplete="off" maxLength={256} required />
                <label className="flex items-center gap-2 pb-2 text-sm">
                  <input type="checkbox" name="revokeTokens" /> Revoke API tokens
                </label>
                <button type="submit" className={buttonClass} disabled={pending}>
                  Reset password
                </button>
              </form>
              {u.totpEnabled ? (
                <button
                  type="button"
                  className="rounded-md border border-zinc-300 px-4 py-2 text-sm hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-900"
                  disabled={pending}
                  onClick={() =>
                    confirm(`Turn off two-factor authentication for ${u.email}? They can sign in with the password alone until they enrol again.`) &&
                    run(async () => {
                      await callApi(`/api/users/${u.id}/totp`, { method: 'DELETE' });
                      return `Two-factor authentication reset for ${u.email}; their sessions ended.`;
                    })
                  }
                >
                  Reset 2FA
                </button>
              ) : null}
              {!self ? (
                <button
                  type="button"
                  className="rounded-md border border-red-300 px-4 py-2 text-sm text-red-700 hover:bg-red-50 dark:border-red-800 dark:text-red-400 dark:hover:bg-red-950"
                  disabled={pending}
                  onClick={() =>
                    confirm(`Delete ${u.email}? This cannot be undone.`) &&
                    run(async () => {
                      await callApi(`/api/users/${u.id}`, { method: 'DELETE' });
                      setEditing(null);
                      return `Deleted ${u.email}.`;
                    })
                  }
                >
                  Delete user
                </button>
              ) : null}
            </div>
          </td>
        </tr>
      ) : null}
    </>
  );
}
