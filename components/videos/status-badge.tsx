const styles: Record<string, string> = {
  pending: 'bg-zinc-200 text-zinc-800 dark:bg-zinc-700 dark:text-zinc-100',
  processing: 'bg-amber-100 text-amber-900 dark:bg-amber-900/50 dark:text-amber-100',
  ready: 'bg-emerald-100 text-emerald-900 dark:bg-emerald-900/50 dark:text-emerald-100',
  failed: 'bg-red-100 text-red-900 dark:bg-red-900/50 dark:text-red-100',
};

export function StatusBadge({ status, progress, reason }: { status: string; progress: number; reason?: string | null }) {
  const label = status === 'processing' ? `processing ${progress}%` : status;
  return (
    <span className={`inline-block rounded px-2 py-0.5 text-xs font-medium ${styles[status] ?? styles.pending}`} title={reason ?? undefined} data-testid="video-status">
      {label}
    </span>
  );
}
