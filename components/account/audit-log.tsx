'use client';

import { useEffect, useState } from 'react';
import { FormOutcomeLine, buttonClass, inputClass } from '@/components/ui/form';
import type { AuditEntry } from '@/lib/audit/queries';
import { callApi, useApiAction, type Wire } from '@/components/ui/api';

type Entry = Wire<AuditEntry>;

const FILTERS = ['action', 'actorId', 'targetType', 'from', 'to'] as const;
type Filters = Record<(typeof FILTERS)[number], string>;

/** The filters as /api/audit(/export) query parameters; the datetime-local values as ISO instants. */
function query(f: Filters, extra: Record<string, string> = {}): string {
  const p = new URLSearchParams();
  for (const k of FILTERS) {
    const v = f[k];
    if (!v) continue;
    p.set(k, k === 'from' || k === 'to' ? new Date(v).toISOString() : v);
  }
  for (const [k, v] of Object.entries(extra)) p.set(k, v);
  return p.toString();
}

export function AuditLog({ actions }: { actions: string[] }) {
  const [filters, setFilters] = useState<Filters>({ action: '', actorId: '', targetType: '', from: '', to: '' });
  const [entries, setEntries] = useState<Entry[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const { outcome, pending, run } = useApiAction();

  const load = (f: Filters, after: string | null) =>
    run(async () => {
      const res = await callApi<{ entries: Entry[]; nextCursor: string | null }>(`/api/audit?${query(f, after ? { cursor: after } : {})}`);
      setEntries((prev) => (after ? [...prev, ...res.entries] : res.entries));
      setCursor(res.nextCursor);
    });

  useEffect(() => load(filters, null), []); // eslint-disable-line react-hooks/exhaustive-deps

  return (
    <div className="space-y-4">
      <form
        className="grid gap-3 sm:grid-cols-6 sm:items-end"
        onSubmit={(e) => {
          e.preventDefault();
          load(filters, null);
        }}
      >
        <label className="text-sm">
          Action
          <select className={inputClass} value={filters.action} onChange={(e) => setFilters({ ...filters, action: e.target.value })}>
            <option value="">any</option>
            {actions.map((a) => (
              <option key={a}>{a}</option>
            ))}
          </select>
        </label>
        <label className="text-sm">
          Actor id
          <input className={inputClass} value={filters.actorId} onChange={(e) => setFilters({ ...filters, actorId: e.target.value })} />
        </label>
        <label className="text-sm">
          Target type
          <input className={inputClass} value={filters.targetType} onChange={(e) => setFilters({ ...filters, targetType: e.target.value })} />
        </label>
        <label className="text-sm">
          From
          <input type="datetime-local" className={inputClass} value={filters.from} onChange={(e) => setFilters({ ...filters, from: e.target.value })} />
        </label>
        <label className="text-sm">
          To
          <input type="datetime-local" className={inputClass} value={filters.to} onChange={(e) => setFilters({ ...filters, to: e.target.value })} />
        </label>
        <button type="submit" className={buttonClass} disabled={pending}>
          Apply
        </button>
      </form>
      <div className="flex gap-3 text-sm">
        <a className="underline" href={`/api/audit/export?${query(filters, { format: 'csv' })}`}>
          Export CSV
        </a>
        <a className="underline" href={`/api/audit/export?${query(filters, { format: 'json' })}`}>
          Export JSON
        </a>
      </div>
      <FormOutcomeLine outcome={outcome} />
      {entries.length === 0 && !pending ? (
        <p className="rounded-xl border border-dashed border-zinc-300 p-8 text-center text-sm text-zinc-500 dark:border-zinc-700">
          No audit entries match these filters.
        </p>
      ) : (
        <table className="w-full text-left text-sm">
          <thead className="text-xs uppercase text-zinc-500">
            <tr>
              <th className="py-2">Time</th>
              <th>Action</th>
              <th>Actor</th>
              <th>Target</th>
              <th>IP</th>
              <th>Detail</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => (
              <tr key={e.id} className="border-t border-zinc-200 align-top dark:border-zinc-800">
                <td className="whitespace-nowrap py-2">{new Date(e.at).toLocaleString()}</td>
                <td className="font-mono">{e.action}</td>
                <td>{e.actorId ?? e.actorType}</td>
                <td>{e.targetType ? `${e.targetType}${e.targetId ? `:${e.targetId}` : ''}` : '—'}</td>
                <td title={e.userAgent ?? undefined}>{e.ip ?? '—'}</td>
                <td className="max-w-xs truncate font-mono text-xs" title={e.detail ? JSON.stringify(e.detail) : undefined}>
                  {e.detail ? JSON.stringify(e.detail) : ''}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {cursor ? (
        <button type="button" className={buttonClass} disabled={pending} onClick={() => load(filters, cursor)}>
          {pending ? 'Loading…' : 'Load more'}
        </button>
      ) : null}
    </div>
  );
}
