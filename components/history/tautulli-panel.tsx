'use client';
// Admins: the Tautulli connection (tested on save; lists Tautulli's users and whom they map to) and
// an import with live progress (GET /api/imports/{id} every second until it ends).
import { useEffect, useState } from 'react';
import { callApi, useApiAction } from '@/components/ui/api';
import { Field, FormOutcomeLine, buttonClass } from '@/components/ui/form';

type Status = { id: string; status: 'queued' | 'running' | 'done' | 'failed'; imported: number; skipped: number; total: number; error?: string };
type Saved = { url: string; server: { name: string | null; matchedServerId: string | null }; users: { userId: string; name: string; mediaUser: string | null }[] };

export function TautulliPanel() {
  const save = useApiAction();
  const start = useApiAction();
  const [connection, setConnection] = useState<{ url: string } | null>(null);
  const [saved, setSaved] = useState<Saved | null>(null);
  const [importId, setImportId] = useState<string | null>(null);
  const [status, setStatus] = useState<Status | null>(null);

  useEffect(() => {
    void callApi<{ connection: { url: string } | null }>('/api/imports/tautulli/connection').then((r) => setConnection(r.connection)).catch(() => {});
  }, []);

  useEffect(() => {
    if (!importId) return;
    let stop = false;
    const tick = async () => {
      try {
        const s = await callApi<Status>(`/api/imports/${importId}`);
        if (stop) return;
        setStatus(s);
        if (s.status === 'done' || s.status === 'failed') return;
      } catch {
        /* try again on the next tick */
      }
      if (!stop) setTimeout(() => void tick(), 1000);
    };
    void tick();
    return () => {
      stop = true;
    };
  }, [importId]);

  const pct = status && status.total > 0 ? Math.min(100, Math.round(((status.imported + status.skipped) / status.total) * 100)) : null;
  return (
    <section className="mt-10 max-w-2xl rounded-lg border border-zinc-200 p-4 dark:border-zinc-800" aria-labelledby="tautulli-heading">
      <h2 id="tautulli-heading" className="text-lg font-semibold">Import from Tautulli</h2>
      <p className="mb-3 text-sm text-zinc-600 dark:text-zinc-400">
        {connection ? `Connected to ${connection.url}. New Tautulli rows are pulled every 30 minutes.` : 'Save your Tautulli address and API key (Settings → Web Interface → API key). Marquee tests them before saving.'}
      </p>
      <form
        className="space-y-3"
        onSubmit={(e) => {
          e.preventDefault();
          const f = new FormData(e.currentTarget);
          save.run(async () => {
            const r = await callApi<Saved>('/api/imports/tautulli/connection', { method: 'PUT', body: { url: f.get('url'), apiKey: f.get('apiKey') } });
            setSaved(r);
            setConnection({ url: r.url });
            return `Saved: Tautulli answered${r.server.name ? ` for ${r.server.name}` : ''} with ${r.users.length} users.`;
          });
        }}
      >
        <Field label="Tautulli URL" name="url" type="url" required placeholder="http://tautulli:8181" defaultValue={connection?.url ?? ''} key={connection?.url ?? 'none'} />
        <Field label="API key" name="apiKey" type="password" required autoComplete="off" />
        <button type="submit" className={buttonClass} disabled={save.pending}>{save.pending ? 'Testing…' : 'Test and save'}</button>
        <FormOutcomeLine outcome={save.outcome} />
      </form>
      {saved?.users.length ? (
        <table className="mt-4 w-full text-sm">
          <thead><tr className="text-left text-xs uppercase text-zinc-500"><th>Tautulli user</th><th>Marquee media user</th></tr></thead>
          <tbody>{saved.users.map((u) => <tr key={u.userId}><td>{u.name}</td><td>{u.mediaUser ?? <span className="text-zinc-500">no match (kept under the Tautulli name)</span>}</td></tr>)}</tbody>
        </table>
      ) : null}
      <div className="mt-4 space-y-2">
        <button
          type="button"
          className={buttonClass}
          disabled={!connection || start.pending || status?.status === 'running' || status?.status === 'queued'}
          onClick={() => start.run(async () => {
            const r = await callApi<{ id: string }>('/api/imports/tautulli', { method: 'POST', body: {} });
            setStatus(null);
            setImportId(r.id);
          })}
        >
          Import history now
        </button>
        <FormOutcomeLine outcome={start.outcome} />
        {status ? (
          <div role="status" data-testid="import-status">
            <div className="h-2 w-full overflow-hidden rounded bg-zinc-200 dark:bg-zinc-800">
              <div className="h-2 bg-indigo-600 transition-all" style={{ width: `${pct ?? (status.status === 'done' ? 100 : 5)}%` }} />
            </div>
            <p className="mt-1 text-sm">
              {status.status === 'failed' ? `Failed: ${status.error ?? 'unknown error'}` : `${status.status}: ${status.imported.toLocaleString()} imported, ${status.skipped.toLocaleString()} already there${status.total ? ` of ${status.total.toLocaleString()}` : ''}.`}
            </p>
          </div>
        ) : null}
      </div>
    </section>
  );
}
