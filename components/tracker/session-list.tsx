import Link from 'next/link';

export interface SessionRow {
  id: string;
  startedAt: string;
  endedAt: string | null;
  open: boolean;
  items: number;
  totalActiveHhmmss: string;
  avgActiveMmss: string | null;
  targetMmss: string;
  paceScore: number | null;
}

const fmt = (iso: string, tz: string) => new Date(iso).toLocaleString('en-GB', { timeZone: tz, dateStyle: 'medium', timeStyle: 'short' });

export function SessionList({ sessions, timezone }: { sessions: SessionRow[]; timezone: string }) {
  return (
    <table className="w-full text-left text-sm" data-testid="session-list">
      <thead className="text-xs uppercase text-zinc-500">
        <tr>
          <th className="py-2">Started</th>
          <th>Items</th>
          <th>Active</th>
          <th>Average / target</th>
          <th>Pace</th>
        </tr>
      </thead>
      <tbody>
        {sessions.map((s) => (
          <tr key={s.id} className="border-t border-zinc-200 dark:border-zinc-800">
            <td className="py-2">
              <Link className="text-indigo-600 hover:underline dark:text-indigo-400" href={`/tracker/sessions/${s.id}`}>
                {fmt(s.startedAt, timezone)}
              </Link>
              {s.open ? <span className="ml-2 rounded bg-emerald-100 px-1.5 text-xs text-emerald-800 dark:bg-emerald-900 dark:text-emerald-200">open</span> : null}
            </td>
            <td>{s.items}</td>
            <td className="font-mono">{s.totalActiveHhmmss}</td>
            <td className="font-mono">
              {s.avgActiveMmss ?? '--:--'} / {s.targetMmss}
            </td>
            <td>{s.paceScore === null ? '—' : `${s.paceScore} %`}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
