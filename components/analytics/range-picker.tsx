'use client';
// The view's filters: a preset range (24 h … 365 d), a custom from–to, and the server. Plain
// buttons, inputs and a select, so the keyboard works without anything special.
import { useId, useState, type FormEvent } from 'react';
import { buttonClass, inputClass } from '@/components/ui/form';
import { RANGE_LABELS, type AnalyticsParams } from './query';
import { RANGE_KEYS } from './types';

const SHORT: Record<string, string> = { '24h': '24 h', '7d': '7 d', '30d': '30 d', '180d': '180 d', '365d': '365 d' };

export function AnalyticsFilters({
  params,
  servers,
  onChange,
}: {
  params: AnalyticsParams;
  servers: readonly { id: string; name: string }[];
  onChange: (next: AnalyticsParams) => void;
}) {
  const id = useId();
  const [customOpen, setCustomOpen] = useState(params.range === 'custom');
  const [error, setError] = useState<string | null>(null);
  const showCustom = customOpen || params.range === 'custom';
  const base = { serverId: params.serverId, tz: params.tz };

  const applyCustom = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const from = String(form.get('from') ?? '');
    const to = String(form.get('to') ?? '');
    if (!from || !to) return setError('Pick both a start and an end day.');
    if (from > to) return setError('The start day must not be after the end day.');
    setError(null);
    onChange({ range: 'custom', from, to, ...base });
  };

  return (
    <div className="mb-4 flex flex-wrap items-end gap-3">
      <div role="group" aria-label="Range" className="inline-flex overflow-hidden rounded-md border border-zinc-300 dark:border-zinc-700">
        {RANGE_KEYS.map((key) => {
          const active = params.range === key;
          return (
            <button
              key={key}
              type="button"
              aria-pressed={active}
              title={`Last ${RANGE_LABELS[key]}`}
              onClick={() => {
                setCustomOpen(false);
                onChange({ range: key, ...base });
              }}
              className={`border-r border-zinc-300 px-3 py-1.5 text-sm last:border-r-0 focus-visible:relative focus-visible:outline-2 focus-visible:outline-indigo-500 dark:border-zinc-700 ${
                active ? 'bg-indigo-600 text-white' : 'hover:bg-zinc-100 dark:hover:bg-zinc-800'
              }`}
            >
              {SHORT[key]}
            </button>
          );
        })}
        <button
          type="button"
          aria-pressed={params.range === 'custom'}
          aria-expanded={showCustom}
          aria-controls={`${id}-custom`}
          onClick={() => setCustomOpen((o) => !o)}
          className={`px-3 py-1.5 text-sm focus-visible:relative focus-visible:outline-2 focus-visible:outline-indigo-500 ${
            params.range === 'custom' ? 'bg-indigo-600 text-white' : 'hover:bg-zinc-100 dark:hover:bg-zinc-800'
          }`}
        >
          Custom
        </button>
      </div>
      {servers.length > 0 ? (
        <label className="text-sm">
          <span className="mr-2">Server</span>
          <select
            value={params.serverId ?? ''}
            onChange={(e) => onChange({ ...params, serverId: e.target.value || undefined })}
            className={`${inputClass} inline-block w-auto`}
          >
            <option value="">All servers</option>
            {servers.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        </label>
      ) : null}
      {showCustom ? (
        <form id={`${id}-custom`} onSubmit={applyCustom} className="flex flex-wrap items-end gap-2" aria-label="Custom range">
          <label className="text-sm">
            From
            <input type="date" name="from" required defaultValue={params.from ?? ''} className={inputClass} />
          </label>
          <label className="text-sm">
            To
            <input type="date" name="to" required defaultValue={params.to ?? ''} className={inputClass} />
          </label>
          <button type="submit" className={buttonClass}>
            Apply
          </button>
          {error ? (
            <p role="alert" className="w-full text-xs text-red-600 dark:text-red-400">
              {error}
            </p>
          ) : null}
        </form>
      ) : null}
    </div>
  );
}
