import Link from 'next/link';
import { notFound } from 'next/navigation';
import { requirePageActor } from '@/lib/auth/current-user';
import { addDays, getDayView, parseDay } from '@/lib/tracker';
import { PageHeader } from '@/components/ui/page-header';
import { HourlyChart } from '@/components/tracker/hourly-chart';
import { SessionList } from '@/components/tracker/session-list';
import { StatCards } from '@/components/tracker/stat-cards';

export const dynamic = 'force-dynamic';
export const metadata = { title: 'Tracker day' };

export default async function TrackerDayPage({ params }: { params: Promise<{ date: string }> }) {
  const actor = await requirePageActor();
  const { date } = await params;
  if (!parseDay(date)) notFound();
  const day = await getDayView(actor, date);
  const link = 'rounded-md border border-zinc-300 px-3 py-1.5 text-sm hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-800';
  return (
    <div className="space-y-6">
      <PageHeader title={`Tracker · ${date}`}>
        <Link className={link} href={`/tracker/days/${addDays(date, -1)}`} rel="prev">
          ← Previous day
        </Link>
        <Link className={link} href={`/tracker/days/${addDays(date, 1)}`} rel="next">
          Next day →
        </Link>
        <Link className="text-sm text-indigo-600 hover:underline dark:text-indigo-400" href="/tracker">
          Today
        </Link>
      </PageHeader>
      <p className="text-sm text-zinc-500">
        {day.timezone} · {day.hours.length} hours{day.hours.length !== 24 ? ' (clock change)' : ''}
      </p>
      <StatCards s={day} />
      <HourlyChart hours={day.hours} caption={`Items finished per hour, ${date}`} />
      {day.sessions.length === 0 ? (
        <p className="rounded-lg border border-dashed border-zinc-300 p-6 text-sm text-zinc-600 dark:border-zinc-700 dark:text-zinc-400">No items finished on this day.</p>
      ) : (
        <SessionList sessions={day.sessions.map((s) => ({ ...s, open: s.endedAt === null }))} timezone={day.timezone} />
      )}
    </div>
  );
}
