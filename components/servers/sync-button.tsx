'use client';
import { useState } from 'react';
import { useRouter } from 'next/navigation';
import { callApi, errorMessage } from '@/components/ui/api';

export function SyncButton({ serverId }: { serverId: string }) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [msg, setMsg] = useState<string | null>(null);
  async function sync() {
    setBusy(true);
    try {
      const res = await callApi<{ users: number; libraries: number }>(`/api/servers/${serverId}/sync`, { method: 'POST' });
      setMsg(`Synced ${res.users} users and ${res.libraries} libraries.`);
    } catch (err) {
      setMsg(errorMessage(err));
    } finally {
      setBusy(false);
    }
    router.refresh();
  }
  return (
    <span className="inline-flex items-center gap-2 text-sm">
      <button type="button" onClick={() => void sync()} disabled={busy} className="rounded-md border border-zinc-300 px-3 py-1.5 hover:bg-zinc-50 disabled:opacity-50 dark:border-zinc-700 dark:hover:bg-zinc-800">{busy ? 'Syncing…' : 'Sync users & libraries'}</button>
      {msg ? <span role="status" className="text-zinc-600 dark:text-zinc-400">{msg}</span> : null}
    </span>
  );
}
