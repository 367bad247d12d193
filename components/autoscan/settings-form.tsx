'use client';
import { useState } from 'react';
import { callApi, useApiAction } from '@/components/ui/api';
import { buttonClass, Field, FormOutcomeLine } from '@/components/ui/form';

export interface SettingsValues { debounceS: number; retryBaseS: number; retryMaxS: number; maxAttempts: number; anchorFiles: string[]; rcloneUrl: string | null; rcloneRoot: string | null }

export function ScanSettingsForm({ initial }: { initial: SettingsValues }) {
  const [v, setV] = useState({ ...initial, anchors: initial.anchorFiles.join('\n'), rclone: initial.rcloneUrl ?? '', rcloneRoot: initial.rcloneRoot ?? '' });
  const { outcome, pending, run } = useApiAction();
  return (
    <form
      aria-label="Autoscan settings"
      className="grid gap-3 rounded-lg border border-zinc-200 p-4 md:grid-cols-2 dark:border-zinc-800"
      onSubmit={(e) => {
        e.preventDefault();
        run(async () => {
          await callApi('/api/scans/settings', {
            method: 'PUT',
            body: { debounceS: v.debounceS, retryBaseS: v.retryBaseS, retryMaxS: v.retryMaxS, maxAttempts: v.maxAttempts, anchorFiles: v.anchors.split('\n').map((s) => s.trim()).filter(Boolean), rcloneUrl: v.rclone.trim() || null, rcloneRoot: v.rcloneRoot.trim() || null },
          });
          return 'Settings saved.';
        });
      }}
    >
      <h2 className="text-lg font-semibold md:col-span-2">Settings</h2>
      <Field label="Debounce window (seconds)" name="debounceS" type="number" min={0} value={v.debounceS} onChange={(e) => setV({ ...v, debounceS: Number(e.target.value) })} hint="Requests for the same folder within this window become one scan; each new one restarts it." />
      <Field label="Attempts before a refused scan fails" name="maxAttempts" type="number" min={1} value={v.maxAttempts} onChange={(e) => setV({ ...v, maxAttempts: Number(e.target.value) })} hint="A server that is down is retried until it returns, whatever this says." />
      <Field label="First retry after (seconds)" name="retryBaseS" type="number" min={1} value={v.retryBaseS} onChange={(e) => setV({ ...v, retryBaseS: Number(e.target.value) })} />
      <Field label="Longest wait between retries (seconds)" name="retryMaxS" type="number" min={1} value={v.retryMaxS} onChange={(e) => setV({ ...v, retryMaxS: Number(e.target.value) })} />
      <label className="space-y-1 text-sm font-medium">Anchor files (one per line)
        <textarea className="block h-20 w-full rounded-md border border-zinc-300 bg-white px-3 py-2 font-mono text-xs dark:border-zinc-700 dark:bg-zinc-900" value={v.anchors} onChange={(e) => setV({ ...v, anchors: e.target.value })} placeholder="/mnt/media/.anchor" />
        <span className="block text-xs font-normal text-zinc-500">While one is missing (a mount dropped), scanning pauses so the server does not empty its library.</span>
      </label>
      <Field label="rclone remote control URL" name="rcloneUrl" value={v.rclone} onChange={(e) => setV({ ...v, rclone: e.target.value })} placeholder="http://127.0.0.1:5572" hint="Optional: vfs/refresh of the folder before each scan." />
      <Field label="rclone mount root" name="rcloneRoot" value={v.rcloneRoot} onChange={(e) => setV({ ...v, rcloneRoot: e.target.value })} placeholder="/mnt/remote" hint="Where the remote is mounted as the media server sees it; folders are sent to rclone relative to it (outside it: no refresh)." />
      <div className="md:col-span-2 flex items-center gap-3">
        <button type="submit" className={buttonClass} disabled={pending}>Save settings</button>
        <FormOutcomeLine outcome={outcome} />
      </div>
    </form>
  );
}
