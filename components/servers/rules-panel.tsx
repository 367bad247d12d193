'use client';
import { useState } from 'react';
import { useRouter } from 'next/navigation';
import { callApi, errorMessage } from '@/components/ui/api';

export interface RuleRow { id: string; kind: string; name: string; enabled: boolean; serverIds: string[]; message: string; graceSeconds: number; cooldownSeconds: number; maxStreams: number }
export interface FiringRow { id: string; firedAt: string; ok: boolean; mediaUser: string | null; serverName: string; ruleName: string; detail: string | null }

const input = 'mt-1 w-full rounded-md border border-zinc-300 bg-white px-2 py-1.5 text-sm dark:border-zinc-700 dark:bg-zinc-900';

export function RulesPanel({ rules, firings, servers, canManage }: { rules: RuleRow[]; firings: FiringRow[]; servers: { id: string; name: string }[]; canManage: boolean }) {
  const router = useRouter();
  const [form, setForm] = useState({ kind: 'transcode_4k', name: 'No 4K transcodes', message: 'Please play 4K content on a 4K-capable device.', graceSeconds: 30, cooldownSeconds: 600, maxStreams: 2, serverIds: [] as string[] });
  const [error, setError] = useState<string | null>(null);
  async function send(url: string, method: string, body?: unknown) {
    setError(null);
    await callApi(url, { method, body }).catch((err: unknown) => setError(errorMessage(err)));
    router.refresh();
  }
  const names = new Map(servers.map((s) => [s.id, s.name]));
  return (
    <section aria-label="Rules" className="space-y-3">
      <h2 className="text-lg font-semibold">Rules</h2>
      {rules.length === 0 ? <p className="text-sm text-zinc-500">No rules yet: add one to stop 4K→lower transcodes or cap streams per user.</p> : (
        <ul className="divide-y divide-zinc-200 rounded-lg border border-zinc-200 text-sm dark:divide-zinc-800 dark:border-zinc-800">
          {rules.map((r) => (
            <li key={r.id} className="flex flex-wrap items-center gap-3 p-3">
              <span className="font-medium">{r.name}</span>
              <span className="text-zinc-500">{r.kind === 'transcode_4k' ? '4K → lower transcode' : `> ${r.maxStreams} streams per user`} · grace {r.graceSeconds}s · cooldown {r.cooldownSeconds}s · {r.serverIds.length ? r.serverIds.map((id) => names.get(id) ?? id).join(', ') : 'all servers'}</span>
              {canManage ? (
                <span className="ml-auto flex gap-2">
                  <button type="button" className="rounded border px-2 py-0.5 text-xs" onClick={() => void send(`/api/servers/rules/${r.id}`, 'PATCH', { enabled: !r.enabled })}>{r.enabled ? 'Disable' : 'Enable'}</button>
                  <button type="button" className="rounded border px-2 py-0.5 text-xs text-red-700" onClick={() => void send(`/api/servers/rules/${r.id}`, 'DELETE')}>Delete</button>
                </span>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      {canManage ? (
        <form className="grid gap-2 rounded-lg border border-zinc-200 p-3 md:grid-cols-3 dark:border-zinc-800" onSubmit={(e) => { e.preventDefault(); void send('/api/servers/rules', 'POST', form); }}>
          <label className="text-sm">Kind<select className={input} value={form.kind} onChange={(e) => setForm({ ...form, kind: e.target.value })}><option value="transcode_4k">Stop 4K → lower transcodes</option><option value="stream_limit">Concurrent streams per user</option></select></label>
          <label className="text-sm">Name<input className={input} value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} required /></label>
          <label className="text-sm">Message<input className={input} value={form.message} onChange={(e) => setForm({ ...form, message: e.target.value })} required /></label>
          <label className="text-sm">Grace (s)<input type="number" min={0} className={input} value={form.graceSeconds} onChange={(e) => setForm({ ...form, graceSeconds: Number(e.target.value) })} /></label>
          <label className="text-sm">Cooldown (s)<input type="number" min={0} className={input} value={form.cooldownSeconds} onChange={(e) => setForm({ ...form, cooldownSeconds: Number(e.target.value) })} /></label>
          {form.kind === 'stream_limit' ? <label className="text-sm">Max streams<input type="number" min={1} className={input} value={form.maxStreams} onChange={(e) => setForm({ ...form, maxStreams: Number(e.target.value) })} /></label> : <span />}
          <fieldset className="text-sm md:col-span-2"><legend>Servers (none = all)</legend>
            {servers.map((s) => (
              <label key={s.id} className="mr-3 inline-flex items-center gap-1"><input type="checkbox" checked={form.serverIds.includes(s.id)} onChange={(e) => setForm({ ...form, serverIds: e.target.checked ? [...form.serverIds, s.id] : form.serverIds.filter((x) => x !== s.id) })} />{s.name}</label>
            ))}
          </fieldset>
          <div className="flex items-end"><button type="submit" className="rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-500">Add rule</button></div>
          {error ? <p role="alert" className="text-sm text-red-600 md:col-span-3">{error}</p> : null}
        </form>
      ) : null}
      <h3 className="pt-2 font-medium">Recent firings</h3>
      {firings.length === 0 ? <p className="text-sm text-zinc-500">No rule has fired yet.</p> : (
        <table className="w-full text-left text-sm">
          <thead className="text-zinc-500"><tr><th className="py-1">When</th><th>Rule</th><th>Server</th><th>User</th><th>Result</th></tr></thead>
          <tbody>
            {firings.map((f) => (
              <tr key={f.id} className="border-t border-zinc-200 dark:border-zinc-800"><td className="py-1">{new Date(f.firedAt).toLocaleString()}</td><td>{f.ruleName}</td><td>{f.serverName}</td><td>{f.mediaUser ?? '—'}</td><td>{f.ok ? 'terminated' : `failed: ${f.detail ?? ''}`}</td></tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
