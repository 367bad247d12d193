const styles: Record<string, string> = {
  ok: 'bg-emerald-100 text-emerald-800 dark:bg-emerald-900/40 dark:text-emerald-300',
  degraded: 'bg-amber-100 text-amber-800 dark:bg-amber-900/40 dark:text-amber-300',
  down: 'bg-red-100 text-red-800 dark:bg-red-900/40 dark:text-red-300',
  unknown: 'bg-zinc-100 text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300',
};
const labels: Record<string, string> = { ok: 'Online', degraded: 'Degraded', down: 'Offline', unknown: 'Unknown' };

export function HealthBadge({ health, error }: { health: string; error?: string | null }) {
  return (
    <span title={error ?? undefined} data-testid="health-badge" data-health={health} className={`inline-flex items-center rounded-full px-2 py-0.5 text-xs font-medium ${styles[health] ?? styles.unknown}`}>
      {labels[health] ?? health}
    </span>
  );
}
