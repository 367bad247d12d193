/** A plain GET form: the browser downloads the CSV (no script needed). */
export function ExportForm({ today }: { today: string }) {
  const monthStart = `${today.slice(0, 8)}01`;
  return (
    <form action="/api/tracker/export" method="get" className="flex flex-wrap items-end gap-2" aria-label="Export items as CSV">
      <label className="space-y-1 text-sm">
        <span className="block font-medium">From</span>
        <input type="date" name="from" required defaultValue={monthStart} className="rounded-md border border-zinc-300 bg-white px-3 py-2 text-sm dark:border-zinc-700 dark:bg-zinc-900" />
      </label>
      <label className="space-y-1 text-sm">
        <span className="block font-medium">To</span>
        <input type="date" name="to" required defaultValue={today} className="rounded-md border border-zinc-300 bg-white px-3 py-2 text-sm dark:border-zinc-700 dark:bg-zinc-900" />
      </label>
      <button type="submit" className="rounded-md border border-zinc-300 px-4 py-2 text-sm hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-800">Export CSV</button>
    </form>
  );
}
