'use client';
// Per-video stats for the owner and admins: headline figures, the completion histogram and plays per
// day (recharts directly; the shared chart components can replace these two charts).
import { Bar, BarChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { VideoStats } from '@/lib/videos/stats';
import { formatDuration } from './format';

export function VideoStatsPanel({ stats }: { stats: VideoStats }) {
  const completion = stats.completion.map((views, i) => ({ bucket: `${i * 10}–${i * 10 + 10} %`, views }));
  return (
    <section aria-labelledby="video-stats-title" className="space-y-3 rounded-xl border border-zinc-200 p-4 dark:border-zinc-800" data-testid="video-stats">
      <h2 id="video-stats-title" className="text-lg font-semibold">
        Viewing stats
      </h2>
      <dl className="grid grid-cols-2 gap-3 text-sm sm:grid-cols-4">
        {[
          ['Views', String(stats.views)],
          ['Unique viewers', String(stats.uniqueViewers)],
          ['Watch time', formatDuration(stats.watchTimeS)],
          ['Avg. watched', `${stats.avgPercentWatched} %`],
        ].map(([label, value]) => (
          <div key={label} className="rounded-lg bg-zinc-50 p-2 dark:bg-zinc-900">
            <dt className="text-xs text-zinc-500">{label}</dt>
            <dd className="text-lg font-semibold tabular-nums">{value}</dd>
          </div>
        ))}
      </dl>
      {stats.views === 0 ? (
        <p className="text-sm text-zinc-500">Nobody has watched this video yet. Views appear here as people play it.</p>
      ) : (
        <div className="grid gap-4 md:grid-cols-2">
          <figure aria-label="Views by share of the video watched">
            <figcaption className="mb-1 text-xs font-medium text-zinc-500">Completion (views by share watched)</figcaption>
            <div className="h-40">
              <ResponsiveContainer width="100%" height="100%">
                <BarChart data={completion} margin={{ top: 4, right: 8, bottom: 0, left: 0 }}>
                  <XAxis dataKey="bucket" tick={{ fontSize: 10 }} interval={1} />
                  <YAxis allowDecimals={false} width={32} tick={{ fontSize: 11 }} />
                  <Tooltip />
                  <Bar dataKey="views" name="Views" fill="#6366f1" isAnimationActive={false} />
                </BarChart>
              </ResponsiveContainer>
            </div>
          </figure>
          <figure aria-label="Plays per day">
            <figcaption className="mb-1 text-xs font-medium text-zinc-500">Plays per day</figcaption>
            <div className="h-40">
              <ResponsiveContainer width="100%" height="100%">
                <BarChart data={stats.playsPerDay} margin={{ top: 4, right: 8, bottom: 0, left: 0 }}>
                  <XAxis dataKey="date" tick={{ fontSize: 10 }} />
                  <YAxis allowDecimals={false} width={32} tick={{ fontSize: 11 }} />
                  <Tooltip />
                  <Bar dataKey="plays" name="Plays" fill="#f59e0b" isAnimationActive={false} />
                </BarChart>
              </ResponsiveContainer>
            </div>
          </figure>
        </div>
      )}
    </section>
  );
}
