'use client';

import { Field, FormOutcomeLine, buttonClass } from '@/components/ui/form';
import { callApi, useApiAction } from '@/components/ui/api';

export function ProfileForm({ name, timezone }: { name: string; timezone: string }) {
  const { outcome, pending, run } = useApiAction();
  return (
    <form
      className="grid gap-3 sm:grid-cols-[1fr_1fr_auto] sm:items-end"
      onSubmit={(e) => {
        e.preventDefault();
        const f = new FormData(e.currentTarget);
        run(async () => {
          await callApi('/api/account', { method: 'PATCH', body: { name: f.get('name'), timezone: f.get('timezone') } });
          return 'Saved.';
        });
      }}
    >
      <Field label="Name" name="name" defaultValue={name} required />
      <Field label="Time zone" name="timezone" defaultValue={timezone} required hint="IANA name, e.g. Europe/Paris" list="timezones" />
      <button type="submit" className={buttonClass} disabled={pending}>
        Save
      </button>
      <FormOutcomeLine outcome={outcome} />
    </form>
  );
}
