'use client';
import { useState } from 'react';
import { callApi, errorMessage } from '@/components/ui/api';

type Access = { allLibraries: boolean; libraryIds: string[] };

export function LibraryAccessEditor({ serverId, userId, libraries }: { serverId: string; userId: string; libraries: { externalId: string; name: string }[] }) {
  const [access, setAccess] = useState<Access | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const base = `/api/servers/${serverId}/users/${userId}/libraries`;
  async function load() {
    setStatus(null);
    try {
      setAccess(await callApi<Access>(base));
    } catch (err) {
      setStatus(errorMessage(err));
    }
  }
  async function save() {
    try {
      await callApi(base, { method: 'PUT', body: access });
      setStatus('Saved.');
    } catch (err) {
      setStatus(errorMessage(err));
    }
  }
  if (!access) return <button type="button" className="rounded border border-zinc-300 px-2 py-0.5 text-xs dark:border-zinc-700" onClick={() => void load()}>Edit access</button>;
  return (
    <div className="space-y-1 text-xs">
      <label className="flex items-center gap-1"><input type="checkbox" checked={access.allLibraries} onChange={(e) => setAccess({ ...access, allLibraries: e.target.checked })} /> All libraries</label>
      {!access.allLibraries ? libraries.map((l) => (
        <label key={l.externalId} className="mr-2 inline-flex items-center gap-1">
          <input type="checkbox" checked={access.libraryIds.includes(l.externalId)} onChange={(e) => setAccess({ ...access, libraryIds: e.target.checked ? [...access.libraryIds, l.externalId] : access.libraryIds.filter((x) => x !== l.externalId) })} />{l.name}
        </label>
      )) : null}
      <div><button type="button" className="rounded bg-indigo-600 px-2 py-0.5 text-white" onClick={() => void save()}>Save</button> {status ? <span role="status">{status}</span> : null}</div>
    </div>
  );
}
