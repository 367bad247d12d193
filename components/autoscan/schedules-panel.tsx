'use client';
import { useState } from 'react';
import { useRouter } from 'next/navigation';
import { callApi, useApiAction } from '@/components/ui/api';
import { buttonClass, Field, FormOutcomeLine } from '@/components/ui/form';

export interface ScheduleRow { id: string; path: string; cron: string; nextRunAt: string | null; lastRunAt: string | null }

export function SchedulesPanel({ schedules, canManage }: { schedules: ScheduleRow[]; canManage: boolean }) {
  const router = useRouter();
  const [form, setForm] = useState({ path: '', cron: '0 4 * * *' });
  const add = useApiAction();
  const remove = useApiAction();
  return (
    <section aria-labelledby="schedules-heading" className="space-y-3">
      <h2 id="schedules-heading" className="text-lg font-semibold">Scheduled rescans</h2>
      {schedules.length === 0 ? (
        <p className="text-sm text-zinc-500">None. Useful for folders changed outside the *arr apps (a weekly rescan of a music folder tagged by hand).</p>
      ) : (
        <ul className="divide-y divide-zinc-200 rounded-lg border border-zinc-200 text-sm dark:divide-zinc-800 dark:border-zinc-800">
          {schedules.map((s) => (
            <li key={s.id} className="flex flex-wrap items-center gap-3 p-2">
              <code className="font-mono text-xs">{s.path}</code>
              <span className="text-zinc-500">{s.cron} (UTC) · next {s.nextRunAt ? new Date(s.nextRunAt).toLocaleString() : '—'}{s.lastRunAt ? ` · last ${new Date(s.lastRunAt).toLocaleString()}` : ''}</span>
              {canManage ? (
                <button type="button" className="ml-auto text-xs text-red-600 hover:underline dark:text-red-400" onClick={() => remove.run(async () => { await callApi(`/api/scans/schedules/${s.id}`, { method: 'DELETE' }); router.refresh(); })}>
                  Delete
                </button>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      <FormOutcomeLine outcome={remove.outcome} />
      {canManage ? (
        <form
          aria-label="Add a scheduled rescan"
          className="grid items-end gap-3 md:grid-cols-3"
          onSubmit={(e) => {
            e.preventDefault();
            add.run(async () => {
              await callApi('/api/scans/schedules', { method: 'POST', body: form });
              setForm({ ...form, path: '' });
              router.refresh();
              return 'Scheduled.';
            });
          }}
        >
          <Field label="Folder" name="schedulePath" value={form.path} onChange={(e) => setForm({ ...form, path: e.target.value })} placeholder="/music/Hand tagged" required />
          <Field label="Cron (UTC)" name="cron" value={form.cron} onChange={(e) => setForm({ ...form, cron: e.target.value })} hint="minute hour day month weekday" required />
          <button type="submit" className={buttonClass} disabled={add.pending}>Add schedule</button>
          <div className="md:col-span-3"><FormOutcomeLine outcome={add.outcome} /></div>
        </form>
      ) : null}
    </section>
  );
}
