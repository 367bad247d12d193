'use client';
import { useState } from 'react';
import { callApi, useApiAction } from '@/components/ui/api';
import { buttonClass, Field, FormOutcomeLine } from '@/components/ui/form';

export function ManualScanForm({ servers }: { servers: { id: string; name: string }[] }) {
  const [path, setPath] = useState('');
  const [serverIds, setServerIds] = useState<string[]>([]);
  const { outcome, pending, run } = useApiAction();
  return (
    <form
      aria-label="Manual scan"
      className="space-y-3 rounded-lg border border-zinc-200 p-4 dark:border-zinc-800"
      onSubmit={(e) => {
        e.preventDefault();
        run(async () => {
          const r = await callApi<{ queued: number }>('/api/scans', { method: 'POST', body: { path, serverIds: serverIds.length ? serverIds : undefined } });
          setPath('');
          return `Queued ${r.queued} request: it appears in the queue below.`;
        });
      }}
    >
      <h2 className="text-lg font-semibold">Scan a folder now</h2>
      <Field label="Folder or file path" name="path" value={path} onChange={(e) => setPath(e.target.value)} placeholder="/tv/Show/Season 1" required hint="As Sonarr/Radarr name it (path mappings apply) or as the media server sees it. A file scans its folder." />
      {servers.length > 1 ? (
        <fieldset className="flex flex-wrap gap-3 text-sm">
          <legend className="mb-1 text-sm font-medium">Servers (none ticked = all)</legend>
          {servers.map((s) => (
            <label key={s.id} className="flex items-center gap-1">
              <input type="checkbox" checked={serverIds.includes(s.id)} onChange={(e) => setServerIds((ids) => (e.target.checked ? [...ids, s.id] : ids.filter((x) => x !== s.id)))} />
              {s.name}
            </label>
          ))}
        </fieldset>
      ) : null}
      <button type="submit" className={buttonClass} disabled={pending || !path}>
        {pending ? 'Queuing…' : 'Scan'}
      </button>
      <FormOutcomeLine outcome={outcome} />
    </form>
  );
}
