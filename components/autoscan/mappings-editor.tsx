'use client';
import { useState } from 'react';
import { useRouter } from 'next/navigation';
import { callApi, useApiAction } from '@/components/ui/api';
import { buttonClass, Field, FormOutcomeLine, inputClass } from '@/components/ui/form';

export interface MappingRow { id: string; position: number; kind: string; from: string; to: string; serverId: string | null }
interface TestResult { folder: string; targets: { serverId: string; serverName: string; mappedPath: string; libraries: { key: string; name: string; path: string }[]; reason: string | null }[] }

export function MappingsEditor({ mappings, servers, canManage }: { mappings: MappingRow[]; servers: { id: string; name: string }[]; canManage: boolean }) {
  const router = useRouter();
  const [form, setForm] = useState({ from: '', to: '', kind: 'prefix', serverId: '' });
  const [probe, setProbe] = useState('');
  const [result, setResult] = useState<TestResult | null>(null);
  const add = useApiAction();
  const remove = useApiAction();
  const test = useApiAction();
  const names = new Map(servers.map((s) => [s.id, s.name]));
  return (
    <section aria-labelledby="mappings-heading" className="space-y-3">
      <h2 id="mappings-heading" className="text-lg font-semibold">Path mappings</h2>
      <p className="text-sm text-zinc-600 dark:text-zinc-400">Tried in order; the first that matches rewrites the path. Paths are compared with forward slashes (a Windows path D:\TV becomes D:/TV).</p>
      {mappings.length === 0 ? (
        <p className="text-sm text-zinc-500">No mappings: paths are sent as the *arr names them. Add one when Sonarr sees /tv and Plex sees /data/tv.</p>
      ) : (
        <table className="w-full text-left text-sm">
          <thead className="text-zinc-500"><tr><th className="py-1">#</th><th>Kind</th><th>From</th><th>To</th><th>Server</th>{canManage ? <th /> : null}</tr></thead>
          <tbody>
            {mappings.map((m, i) => (
              <tr key={m.id} className="border-t border-zinc-200 dark:border-zinc-800">
                <td className="py-1">{i + 1}</td>
                <td>{m.kind}</td>
                <td className="font-mono text-xs">{m.from}</td>
                <td className="font-mono text-xs">{m.to}</td>
                <td>{m.serverId ? (names.get(m.serverId) ?? m.serverId) : 'all'}</td>
                {canManage ? (
                  <td>
                    <button type="button" className="text-xs text-red-600 hover:underline dark:text-red-400" onClick={() => remove.run(async () => { await callApi(`/api/path-mappings/${m.id}`, { method: 'DELETE' }); router.refresh(); })}>
                      Delete
                    </button>
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <FormOutcomeLine outcome={remove.outcome} />
      {canManage ? (
        <form
          aria-label="Add a path mapping"
          className="grid items-end gap-3 md:grid-cols-5"
          onSubmit={(e) => {
            e.preventDefault();
            add.run(async () => {
              await callApi('/api/path-mappings', { method: 'POST', body: { ...form, serverId: form.serverId || null } });
              setForm({ from: '', to: '', kind: form.kind, serverId: form.serverId });
              router.refresh();
              return 'Mapping added.';
            });
          }}
        >
          <Field label="From (*arr path)" name="from" value={form.from} onChange={(e) => setForm({ ...form, from: e.target.value })} placeholder={form.kind === 'regex' ? '^/mnt/disk\\d+/(.*)$' : '/tv'} required />
          <Field label="To (server path)" name="to" value={form.to} onChange={(e) => setForm({ ...form, to: e.target.value })} placeholder={form.kind === 'regex' ? '/data/$1' : '/data/tv'} />
          <label className="space-y-1 text-sm font-medium">Kind
            <select className={inputClass} value={form.kind} onChange={(e) => setForm({ ...form, kind: e.target.value })}><option value="prefix">prefix</option><option value="regex">regex</option></select>
          </label>
          <label className="space-y-1 text-sm font-medium">Server
            <select className={inputClass} value={form.serverId} onChange={(e) => setForm({ ...form, serverId: e.target.value })}>
              <option value="">all servers</option>
              {servers.map((s) => <option key={s.id} value={s.id}>{s.name}</option>)}
            </select>
          </label>
          <button type="submit" className={buttonClass} disabled={add.pending}>Add mapping</button>
          <div className="md:col-span-5"><FormOutcomeLine outcome={add.outcome} /></div>
        </form>
      ) : null}
      <form
        aria-label="Test a path"
        className="flex flex-wrap items-end gap-3"
        onSubmit={(e) => {
          e.preventDefault();
          test.run(async () => setResult(await callApi<TestResult>('/api/path-mappings/test', { method: 'POST', body: { path: probe } })));
        }}
      >
        <div className="min-w-64 flex-1"><Field label="Test a path" name="probe" value={probe} onChange={(e) => setProbe(e.target.value)} placeholder="/tv/Show/Season 1/Show.S01E01.mkv" required /></div>
        <button type="submit" className={buttonClass} disabled={test.pending}>Test</button>
      </form>
      <FormOutcomeLine outcome={test.outcome} />
      {result ? (
        <ul className="space-y-1 text-sm" aria-label="Test result">
          {result.targets.length === 0 ? <li>No enabled media server.</li> : null}
          {result.targets.map((t) => (
            <li key={t.serverId}>
              <span className="font-medium">{t.serverName}</span>: <code className="font-mono text-xs">{t.mappedPath}</code>{' '}
              {t.libraries.length > 0 ? <span className="text-green-700 dark:text-green-400">→ {t.libraries.map((l) => `${l.name} (${l.path})`).join(', ')}</span> : <span className="text-amber-700 dark:text-amber-400">→ skipped: {t.reason}</span>}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
