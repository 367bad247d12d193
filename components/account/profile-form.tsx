'use client';

import { useState, useTransition } from 'react';
import { Field, FormOutcomeLine, buttonClass, type FormOutcome } from '@/components/ui/form';
import { callApi } from './api';

export function ProfileForm({ name, timezone }: { name: string; timezone: string }) {
  const [msg, setMsg] = useState<FormOutcome>(null);
  const [pending, start] = useTransition();
  return (
    <form
      className="grid gap-3 sm:grid-cols-[1fr_1fr_auto] sm:items-end"
      onSubmit={(e) => {
        e.preventDefault();
        const f = new FormData(e.currentTarget);
        start(async () => {
          try {
            await callApi('/api/account', { method: 'PATCH', body: { name: f.get('name'), timezone: f.get('timezone') } });
            setMsg({ ok: true, text: 'Saved.' });
          } catch (err) {
            setMsg({ ok: false, text: (err as Error).message });
          }
        });
      }}
    >
      <Field label="Name" name="name" defaultValue={name} required />
      <Field label="Time zone" name="timezone" defaultValue={timezone} required hint="IANA name, e.g. Europe/Paris" list="timezones" />
      <button type="submit" className={buttonClass} disabled={pending}>
        Save
      </button>
      <FormOutcomeLine outcome={msg} />
    </form>
  );
}
