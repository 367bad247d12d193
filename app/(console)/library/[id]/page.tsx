import Link from 'next/link';
import { notFound } from 'next/navigation';
import { requirePageActor } from '@/lib/auth/current-user';
import { getVideo } from '@/lib/videos/library';
import { getVideoStats } from '@/lib/videos/stats';
import { VideoStatsPanel } from '@/components/videos/video-stats';
import { isAppError } from '@/lib/http/errors';
import { VideoPlayer } from '@/components/videos/player';
import { StatusBadge } from '@/components/videos/status-badge';
import { AutoRefresh } from '@/components/videos/auto-refresh';
import { FavoriteButton, RetryButton, VideoEditor } from '@/components/videos/video-actions';
import { ShareLink } from '@/components/videos/share-link';
import { formatDuration } from '@/components/videos/format';

export const dynamic = 'force-dynamic';

export default async function VideoPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requirePageActor();
  const { id } = await params;
  let v;
  try {
    v = await getVideo(actor, id);
  } catch (err) {
    if (isAppError(err) && err.status === 404) notFound();
    throw err;
  }
  const stats = v.canEdit && v.status === 'ready' ? await getVideoStats(actor, v.id) : null;
  // The player uses the session cookie; the sealed URL is for sharing with external players.
  const cookieSrc = `/api/videos/${v.id}/hls/master.m3u8`;
  return (
    <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_20rem]">
      <AutoRefresh active={v.status === 'pending' || v.status === 'processing'} />
      <div className="space-y-3">
        <Link href="/library" className="text-sm text-indigo-600 dark:text-indigo-400">
          ← Library
        </Link>
        <h1 className="text-2xl font-semibold tracking-tight">{v.title}</h1>
        {v.playbackUrl ? (
          <>
            {v.live ? (
              <div className="flex items-center gap-3 text-sm" data-testid="live-notice">
                <StatusBadge status={v.status} progress={v.progress} />
                <span className="text-zinc-600 dark:text-zinc-400">Still transcoding: you can watch what is ready; the rest follows as it is made.</span>
                <div className="h-2 w-32 overflow-hidden rounded bg-zinc-300 dark:bg-zinc-700" role="progressbar" aria-label="Transcode progress" aria-valuenow={v.progress} aria-valuemin={0} aria-valuemax={100}>
                  <div className="h-full bg-amber-500" style={{ width: `${v.progress}%` }} />
                </div>
              </div>
            ) : null}
            <VideoPlayer
              videoId={v.id}
              src={cookieSrc}
              storyboardUrl={v.storyboardUrl ? `/api/videos/${v.id}/hls/storyboard.vtt` : null}
              startAt={v.positionS}
              durationS={v.durationS}
              live={v.live}
            />
          </>
        ) : (
          <div className="flex aspect-video flex-col items-center justify-center gap-3 rounded-xl bg-zinc-100 dark:bg-zinc-900">
            <StatusBadge status={v.status} progress={v.progress} reason={v.failureReason} />
            {v.status === 'processing' ? (
              <div className="h-2 w-64 overflow-hidden rounded bg-zinc-300 dark:bg-zinc-700" role="progressbar" aria-label="Transcode progress" aria-valuenow={v.progress} aria-valuemin={0} aria-valuemax={100}>
                <div className="h-full bg-amber-500" style={{ width: `${v.progress}%` }} />
              </div>
            ) : null}
            {v.failureReason ? <p className="max-w-prose px-4 text-center text-sm text-red-600 dark:text-red-400">{v.failureReason}</p> : null}
            {v.status === 'failed' && v.canEdit ? <RetryButton videoId={v.id} /> : null}
          </div>
        )}
        {stats ? <VideoStatsPanel stats={stats} /> : null}
      </div>
      <aside className="space-y-4 text-sm">
        <div className="flex flex-wrap gap-2">
          <FavoriteButton videoId={v.id} initial={v.favorite} />
        </div>
        <dl className="grid grid-cols-[7rem_1fr] gap-y-1" aria-label="Video details">
          <dt className="text-zinc-500">Status</dt>
          <dd><StatusBadge status={v.status} progress={v.progress} /></dd>
          <dt className="text-zinc-500">Duration</dt>
          <dd>{formatDuration(v.durationS)}</dd>
          <dt className="text-zinc-500">Source</dt>
          <dd>{v.width && v.height ? `${v.width}×${v.height}` : '–'}</dd>
          <dt className="text-zinc-500">Renditions</dt>
          <dd>{v.renditions.map((r) => `${r.height}p`).join(', ') || '–'}</dd>
          <dt className="text-zinc-500">Category</dt>
          <dd>{v.category ?? '–'}</dd>
          <dt className="text-zinc-500">Tags</dt>
          <dd>{v.tags.join(', ') || '–'}</dd>
          <dt className="text-zinc-500">People</dt>
          <dd>{v.people.join(', ') || '–'}</dd>
          <dt className="text-zinc-500">Uploaded</dt>
          <dd>{new Date(v.createdAt).toLocaleString()}</dd>
        </dl>
        {v.description ? <p className="whitespace-pre-wrap text-zinc-700 dark:text-zinc-300">{v.description}</p> : null}
        {v.playbackUrl ? (
          <div className="space-y-1">
            <p className="text-xs text-zinc-500">Stream link for VLC or ffplay (expires; keep it private):</p>
            <ShareLink path={v.playbackUrl} />
          </div>
        ) : null}
        {v.canEdit ? <VideoEditor video={v} /> : null}
      </aside>
    </div>
  );
}
