'use client';
// Add a server: test the connection first (the API tests again on save), then save.
import { useState } from 'react';
import { useRouter } from 'next/navigation';
import { callApi, errorMessage } from '@/components/ui/api';

type Result = { ok: true; text: string } | { ok: false; text: string } | null;
const input = 'mt-1 w-full rounded-md border border-zinc-300 bg-white px-3 py-2 text-sm dark:border-zinc-700 dark:bg-zinc-900 focus:outline-none focus:ring-2 focus:ring-indigo-500';

export function ServerForm() {
  const router = useRouter();
  const [form, setForm] = useState({ type: 'plex', name: '', url: '', token: '', pollIntervalS: 10 });
  const [result, setResult] = useState<Result>(null);
  const [busy, setBusy] = useState(false);
  const set = (k: keyof typeof form) => (e: React.ChangeEvent<HTMLInputElement | HTMLSelectElement>) => setForm({ ...form, [k]: k === 'pollIntervalS' ? Number(e.target.value) : e.target.value });

  /** POSTs the form; any failure (the API's reason, or the network down) is shown as the result. */
  async function post<T>(path: string): Promise<T | null> {
    setBusy(true);
    try {
      return await callApi<T>(path, { method: 'POST', body: form });
    } catch (err) {
      setResult({ ok: false, text: errorMessage(err) });
      return null;
    } finally {
      setBusy(false);
    }
  }

  async function test() {
    const res = await post<{ identity: { name: string | null; version: string | null } }>('/api/servers/test');
    if (!res) return;
    const { identity } = res;
    setResult({ ok: true, text: `Connected to ${identity.name ?? 'the server'} (version ${identity.version ?? 'unknown'}).` });
    if (!form.name && identity.name) setForm((f) => ({ ...f, name: identity.name! }));
  }

  async function save(e: React.FormEvent) {
    e.preventDefault();
    if ((await post('/api/servers')) === null) return;
    setResult({ ok: true, text: 'Server added.' });
    setForm({ type: form.type, name: '', url: '', token: '', pollIntervalS: 10 });
    router.refresh();
  }

  return (
    <form onSubmit={save} className="grid gap-3 rounded-lg border border-zinc-200 p-4 md:grid-cols-2 dark:border-zinc-800" aria-label="Add a media server">
      <label className="text-sm">Type
        <select className={input} value={form.type} onChange={set('type')} name="type">
          <option value="plex">Plex</option><option value="jellyfin">Jellyfin</option><option value="emby">Emby</option>
        </select>
      </label>
      <label className="text-sm">Name<input className={input} value={form.name} onChange={set('name')} name="name" required placeholder="Living room Plex" /></label>
      <label className="text-sm">URL<input className={input} value={form.url} onChange={set('url')} name="url" required placeholder="http://192.168.1.10:32400" /></label>
      <label className="text-sm">{form.type === 'plex' ? 'X-Plex-Token' : 'API key'}<input className={input} value={form.token} onChange={set('token')} name="token" type="password" required autoComplete="off" /></label>
      <label className="text-sm">Poll every (seconds)<input className={input} value={form.pollIntervalS} onChange={set('pollIntervalS')} name="pollIntervalS" type="number" min={2} max={3600} /></label>
      <div className="flex items-end gap-2">
        <button type="button" onClick={() => void test()} disabled={busy || !form.url || !form.token} className="rounded-md border border-zinc-300 px-3 py-2 text-sm hover:bg-zinc-50 disabled:opacity-50 dark:border-zinc-700 dark:hover:bg-zinc-800">Test connection</button>
        <button type="submit" disabled={busy} className="rounded-md bg-indigo-600 px-3 py-2 text-sm font-medium text-white hover:bg-indigo-500 disabled:opacity-50">Save</button>
      </div>
      {result ? <p role={result.ok ? 'status' : 'alert'} className={`md:col-span-2 text-sm ${result.ok ? 'text-emerald-700 dark:text-emerald-400' : 'text-red-600 dark:text-red-400'}`}>{result.text}</p> : null}
    </form>
  );
}
