export interface PaceSummary {
  items: number;
  ghosts: number;
  totalActiveHhmmss: string;
  avgActiveMmss: string | null;
  targetMmss: string;
  paceScore: number | null;
  itemsPerHour: number | null;
}

function Card({ label, value, hint }: { label: string; value: string; hint?: string }) {
  return (
    <div className="rounded-lg border border-zinc-200 p-3 dark:border-zinc-800">
      <div className="text-xs uppercase tracking-wide text-zinc-500">{label}</div>
      <div className="mt-1 font-mono text-xl font-semibold">{value}</div>
      {hint ? <div className="text-xs text-zinc-500">{hint}</div> : null}
    </div>
  );
}

/** Items, active time, average vs target and a pace bar (100 % = on target). */
export function StatCards({ s }: { s: PaceSummary }) {
  const score = s.paceScore;
  const width = score === null ? 0 : Math.min(100, score / 2);
  return (
    <div className="space-y-2">
      <div className="grid grid-cols-2 gap-3 sm:grid-cols-4" data-testid="pace-stats">
        <Card label="Items" value={String(s.items)} hint={s.ghosts ? `${s.ghosts} ghost item${s.ghosts === 1 ? '' : 's'} left out` : undefined} />
        <Card label="Active time" value={s.totalActiveHhmmss} />
        <Card label="Average / target" value={`${s.avgActiveMmss ?? '--:--'} / ${s.targetMmss}`} hint={s.itemsPerHour ? `${s.itemsPerHour} items per hour` : undefined} />
        <Card label="Pace" value={score === null ? '—' : `${score} %`} hint="100 % = on target; higher is faster" />
      </div>
      <div className="h-2 rounded bg-zinc-200 dark:bg-zinc-800" role="progressbar" aria-label="Pace against target" aria-valuemin={0} aria-valuemax={200} aria-valuenow={score ?? 0}>
        <div className={`h-2 rounded ${score !== null && score >= 100 ? 'bg-emerald-500' : 'bg-amber-500'}`} style={{ width: `${width}%` }} />
      </div>
    </div>
  );
}
