import Link from 'next/link';
import { requirePageActor } from '@/lib/auth/current-user';
import { getDayView, getOpenSessionState, getWidgetSettings, listRecentSessions, todayIn } from '@/lib/tracker';
import { PageHeader } from '@/components/ui/page-header';
import { EmptyState } from '@/components/ui/empty-state';
import { HourlyChart } from '@/components/tracker/hourly-chart';
import { LiveSession } from '@/components/tracker/live-session';
import { SessionList } from '@/components/tracker/session-list';
import { StatCards } from '@/components/tracker/stat-cards';
import { WidgetSetup } from '@/components/tracker/widget-setup';
import { ExportForm } from '@/components/tracker/export-form';
import { ReauthDialog } from '@/components/account/reauth-dialog';

export const dynamic = 'force-dynamic';
export const metadata = { title: 'Tracker' };

export default async function TrackerPage() {
  const actor = await requirePageActor();
  const today = todayIn(actor.timezone);
  const [day, current, sessions, widget] = await Promise.all([getDayView(actor, today), getOpenSessionState(actor), listRecentSessions(actor, 10), getWidgetSettings(actor.id)]);
  return (
    <div className="space-y-8">
      <PageHeader title="Tracker">
        <Link className="text-sm text-indigo-600 hover:underline dark:text-indigo-400" href={`/tracker/days/${today}`}>
          Day view
        </Link>
      </PageHeader>
      <LiveSession initial={current ?? { open: false, items: 0 }} keys={widget.keys} />
      <section className="space-y-3" aria-labelledby="today">
        <h2 id="today" className="text-lg font-semibold">
          Today <span className="text-sm font-normal text-zinc-500">({today}, {day.timezone})</span>
        </h2>
        <StatCards s={day} />
        <HourlyChart hours={day.hours} caption={`Items finished per hour, ${today}`} />
      </section>
      <section className="space-y-3" aria-labelledby="recent">
        <h2 id="recent" className="text-lg font-semibold">Recent sessions</h2>
        {sessions.length === 0 ? (
          <EmptyState title="No sessions yet">
            Press <kbd>Next</kbd> above (or <kbd>N</kbd>) to start one here, or install the browser widget below and press <kbd>N</kbd> on the page where you work through your queue.
          </EmptyState>
        ) : (
          <SessionList sessions={sessions} timezone={day.timezone} />
        )}
      </section>
      <section className="space-y-2" aria-labelledby="export">
        <h2 id="export" className="text-lg font-semibold">Export</h2>
        <ExportForm today={today} />
      </section>
      <WidgetSetup matches={widget.matches} keys={widget.keys} />
      <ReauthDialog />
    </div>
  );
}
