'use client';
// The live queue and the history: polls GET /api/scans every 2 s, with filters, retry and clear.
import { useCallback, useEffect, useState } from 'react';
import { callApi, errorMessage, useApiAction } from '@/components/ui/api';
import { FormOutcomeLine, inputClass } from '@/components/ui/form';

export interface ScanItem {
  id: string;
  path: string;
  sourcePath: string;
  serverId: string | null;
  serverName: string | null;
  libraryName: string | null;
  source: string;
  eventType: string | null;
  status: string;
  routed: boolean;
  attempts: number;
  error?: string;
  method: string | null;
  requestCount: number;
  requestedAt: string;
  dueAt: string;
  finishedAt: string | null;
  durationMs: number | null;
}

const STATUS_STYLE: Record<string, string> = {
  queued: 'bg-zinc-200 text-zinc-800 dark:bg-zinc-700 dark:text-zinc-100',
  scanning: 'bg-indigo-100 text-indigo-800 dark:bg-indigo-900 dark:text-indigo-200',
  retrying: 'bg-amber-100 text-amber-800 dark:bg-amber-900 dark:text-amber-200',
  done: 'bg-green-100 text-green-800 dark:bg-green-900 dark:text-green-200',
  failed: 'bg-red-100 text-red-800 dark:bg-red-900 dark:text-red-200',
  skipped: 'bg-zinc-100 text-zinc-600 dark:bg-zinc-800 dark:text-zinc-300',
};

const METHOD_LABEL: Record<string, string> = { 'plex-partial-refresh': 'Plex partial scan', 'media-updated': 'Media/Updated', 'library-refresh': 'library refresh' };

function Row({ s, canManage, onRetry }: { s: ScanItem; canManage: boolean; onRetry: (id: string) => void }) {
  const waiting = s.status === 'queued' || s.status === 'retrying';
  return (
    <tr className="border-t border-zinc-200 align-top dark:border-zinc-800" data-testid="scan-row" data-status={s.status} data-path={s.sourcePath}>
      <td className="py-1.5">
        <span className={`rounded px-1.5 py-0.5 text-xs font-medium ${STATUS_STYLE[s.status] ?? ''}`} data-testid="scan-status">{s.status}</span>
        {s.attempts > 1 ? <span className="ml-1 text-xs text-zinc-500">×{s.attempts}</span> : null}
      </td>
      <td className="max-w-md">
        <div className="truncate font-mono text-xs" title={s.path}>{s.path}</div>
        {s.path !== s.sourcePath ? <div className="truncate text-xs text-zinc-500" title={s.sourcePath}>from {s.sourcePath}</div> : null}
        {s.error ? <div className={`text-xs ${s.status === 'done' ? 'text-zinc-500' : 'text-red-600 dark:text-red-400'}`}>{s.error}</div> : null}
      </td>
      <td className="text-xs">{s.serverName ?? (s.routed ? '—' : 'routing…')}{s.libraryName ? <div className="text-zinc-500">{s.libraryName}</div> : null}</td>
      <td className="text-xs">{s.source}{s.eventType ? <div className="text-zinc-500">{s.eventType}</div> : null}{s.requestCount > 1 ? <div className="text-zinc-500">{s.requestCount} requests merged</div> : null}</td>
      <td className="text-xs">
        {new Date(s.requestedAt).toLocaleTimeString()}
        {waiting && s.routed ? <div className="text-zinc-500">next {new Date(s.dueAt).toLocaleTimeString()}</div> : null}
      </td>
      <td className="text-xs">{s.method ? METHOD_LABEL[s.method] ?? s.method : ''}{s.durationMs !== null ? <div className="text-zinc-500">{s.durationMs} ms</div> : null}</td>
      <td>{canManage && ['done', 'failed', 'skipped'].includes(s.status) ? <button type="button" className="text-xs text-indigo-600 hover:underline dark:text-indigo-400" onClick={() => onRetry(s.id)}>Retry</button> : null}</td>
    </tr>
  );
}

export function ScanQueue({ servers, canManage, initial }: { servers: { id: string; name: string }[]; canManage: boolean; initial: ScanItem[] }) {
  const [items, setItems] = useState<ScanItem[]>(initial);
  const [filters, setFilters] = useState({ status: '', serverId: '', q: '' });
  const [loadError, setLoadError] = useState<string | null>(null);
  const action = useApiAction();

  const load = useCallback(async () => {
    const qs = new URLSearchParams({ limit: '200' });
    if (filters.status) qs.set('status', filters.status);
    if (filters.serverId) qs.set('serverId', filters.serverId);
    if (filters.q) qs.set('q', filters.q);
    try {
      const r = await callApi<{ scans: ScanItem[] }>(`/api/scans?${qs}`);
      setItems(r.scans);
      setLoadError(null);
    } catch (err) {
      setLoadError(errorMessage(err));
    }
  }, [filters]);

  useEffect(() => {
    void load();
    const t = setInterval(() => void load(), 2000);
    return () => clearInterval(t);
  }, [load]);

  const active = items.filter((s) => ['queued', 'scanning', 'retrying'].includes(s.status));
  const history = items.filter((s) => !['queued', 'scanning', 'retrying'].includes(s.status));
  const done = history.filter((s) => s.status === 'done').length;
  const retry = (id: string) => action.run(async () => { await callApi(`/api/scans/${id}/retry`, { method: 'POST' }); await load(); return 'Queued again.'; });
  const clear = (status?: string) => action.run(async () => {
    const r = await callApi<{ deleted: number }>(`/api/scans${status ? `?status=${status}` : ''}`, { method: 'DELETE' });
    await load();
    return `Cleared ${r.deleted} finished scan${r.deleted === 1 ? '' : 's'}.`;
  });

  const table = (rows: ScanItem[], label: string) => (
    <table className="w-full text-left text-sm" aria-label={label}>
      <thead className="text-xs text-zinc-500"><tr><th className="py-1">Status</th><th>Folder</th><th>Server</th><th>Source</th><th>Requested</th><th>Call</th><th /></tr></thead>
      <tbody>{rows.map((s) => <Row key={s.id} s={s} canManage={canManage} onRetry={retry} />)}</tbody>
    </table>
  );

  return (
    <section aria-labelledby="queue-heading" className="space-y-4">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <h2 id="queue-heading" className="text-lg font-semibold">Queue</h2>
        <div className="flex flex-wrap items-end gap-2 text-sm">
          <label className="text-xs">Status
            <select className={inputClass} value={filters.status} onChange={(e) => setFilters({ ...filters, status: e.target.value })}>
              <option value="">any</option>
              {['queued', 'scanning', 'retrying', 'done', 'failed', 'skipped'].map((s) => <option key={s}>{s}</option>)}
            </select>
          </label>
          <label className="text-xs">Server
            <select className={inputClass} value={filters.serverId} onChange={(e) => setFilters({ ...filters, serverId: e.target.value })}>
              <option value="">all</option>
              {servers.map((s) => <option key={s.id} value={s.id}>{s.name}</option>)}
            </select>
          </label>
          <label className="text-xs">Path contains
            <input className={inputClass} value={filters.q} onChange={(e) => setFilters({ ...filters, q: e.target.value })} placeholder="Season 2" />
          </label>
        </div>
      </div>
      {loadError ? <p role="alert" className="text-sm text-red-600 dark:text-red-400">{loadError}</p> : null}
      {active.length === 0 ? (
        <p className="rounded-lg border border-dashed border-zinc-300 p-4 text-sm text-zinc-500 dark:border-zinc-700">Nothing waiting. Imports from your *arr apps appear here as they arrive, wait out the debounce window, then scan.</p>
      ) : (
        <div>
          <div className="mb-2 h-2 w-full overflow-hidden rounded bg-zinc-200 dark:bg-zinc-800" role="progressbar" aria-label="Scans finished of those listed" aria-valuemin={0} aria-valuemax={items.length} aria-valuenow={history.length}>
            <div className="h-full bg-indigo-500" style={{ width: `${items.length ? (100 * history.length) / items.length : 0}%` }} />
          </div>
          {table(active, 'Live queue')}
        </div>
      )}
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h3 className="font-medium">History <span className="text-sm font-normal text-zinc-500">({done} done of {history.length})</span></h3>
        {canManage && history.length > 0 ? (
          <div className="flex gap-2 text-xs">
            <button type="button" className="rounded-md border border-zinc-300 px-2 py-1 hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-800" onClick={() => clear('done')}>Clear done</button>
            <button type="button" className="rounded-md border border-zinc-300 px-2 py-1 hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-800" onClick={() => clear()}>Clear all finished</button>
          </div>
        ) : null}
      </div>
      <FormOutcomeLine outcome={action.outcome} />
      {history.length === 0 ? <p className="text-sm text-zinc-500">No finished scans yet.</p> : table(history, 'History')}
    </section>
  );
}
