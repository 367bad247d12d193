'use client';
// Picks (server, media user) pairs for a user's history scope from the synced media users: a name
// alone is ambiguous across servers. "All users of X" is the pair "<serverId>:*".
import { useId } from 'react';
import { inputClass } from '@/components/ui/form';

export interface MediaUserPairOptions {
  servers: { id: string; name: string; users: { externalId: string; name: string }[] }[];
}

export function MediaUserPairsField({ name, options, defaultValue = [] }: { name: string; options: MediaUserPairOptions; defaultValue?: string[] }) {
  const id = useId();
  const known = new Set(options.servers.flatMap((s) => [`${s.id}:*`, ...s.users.map((u) => `${s.id}:${u.externalId}`)]));
  const unknown = defaultValue.filter((v) => !known.has(v));
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-sm font-medium">Allowed media users (history scope)</label>
      <select id={id} name={name} multiple defaultValue={defaultValue} className={`${inputClass} h-32`} aria-describedby={`${id}-hint`}>
        {options.servers.map((s) => (
          <optgroup key={s.id} label={s.name}>
            <option value={`${s.id}:*`}>All users of {s.name}</option>
            {s.users.map((u) => <option key={u.externalId} value={`${s.id}:${u.externalId}`}>{u.name} ({s.name})</option>)}
          </optgroup>
        ))}
        {unknown.length ? (
          <optgroup label="Not matched to a synced user">
            {unknown.map((v) => <option key={v} value={v}>{v}</option>)}
          </optgroup>
        ) : null}
      </select>
      <p id={`${id}-hint`} className="text-xs text-zinc-500">Ctrl/⌘-click to pick several. Viewers and uploaders see only these users’ plays.</p>
    </div>
  );
}
