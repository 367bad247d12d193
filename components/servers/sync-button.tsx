'use client';
import { useState } from 'react';
import { useRouter } from 'next/navigation';

export function SyncButton({ serverId }: { serverId: string }) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [msg, setMsg] = useState<string | null>(null);
  async function sync() {
    setBusy(true);
    const res = await fetch(`/api/servers/${serverId}/sync`, { method: 'POST' });
    setBusy(false);
    const body = (await res.json().catch(() => null)) as { users?: number; libraries?: number; error?: { message?: string } } | null;
    setMsg(res.ok ? `Synced ${body?.users} users and ${body?.libraries} libraries.` : (body?.error?.message ?? 'Sync failed.'));
    router.refresh();
  }
  return (
    <span className="inline-flex items-center gap-2 text-sm">
      <button type="button" onClick={() => void sync()} disabled={busy} className="rounded-md border border-zinc-300 px-3 py-1.5 hover:bg-zinc-50 disabled:opacity-50 dark:border-zinc-700 dark:hover:bg-zinc-800">{busy ? 'Syncing…' : 'Sync users & libraries'}</button>
      {msg ? <span role="status" className="text-zinc-600 dark:text-zinc-400">{msg}</span> : null}
    </span>
  );
}
