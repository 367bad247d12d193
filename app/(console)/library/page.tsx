import Link from 'next/link';
import { requirePageActor } from '@/lib/auth/current-user';
import { can } from '@/lib/auth/permissions';
import { listQuerySchema, listVideos } from '@/lib/videos/library';
import { PageHeader } from '@/components/ui/page-header';
import { EmptyState } from '@/components/ui/empty-state';
import { UploadPanel } from '@/components/videos/upload-panel';
import { StatusBadge } from '@/components/videos/status-badge';
import { AutoRefresh } from '@/components/videos/auto-refresh';
import { formatDuration } from '@/components/videos/format';

export const dynamic = 'force-dynamic';
export const metadata = { title: 'Library' };

type SP = Promise<Record<string, string | string[] | undefined>>;

const VIEWS = [
  { key: 'all', label: 'All' },
  { key: 'continue', label: 'Continue watching' },
  { key: 'favorites', label: 'Favorites' },
  { key: 'mine', label: 'My uploads' },
] as const;

export default async function LibraryPage({ searchParams }: { searchParams: SP }) {
  const actor = await requirePageActor();
  const raw = Object.fromEntries(Object.entries(await searchParams).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = listQuerySchema.safeParse(raw);
  const query = parsed.success ? parsed.data : listQuerySchema.parse({});
  const result = await listVideos(actor, query);
  const uploader = can(actor, 'videos:upload');
  const pages = Math.max(1, Math.ceil(result.total / result.pageSize));
  const href = (over: Record<string, string | number | undefined>) => {
    const p = new URLSearchParams();
    for (const [k, v] of Object.entries({ ...raw, ...over })) if (v !== undefined && v !== '') p.set(k, String(v));
    return `/library?${p}`;
  };
  const input = 'rounded-md border border-zinc-300 bg-white px-3 py-2 text-sm dark:border-zinc-700 dark:bg-zinc-900';
  const busy = result.items.some((v) => v.status === 'pending' || v.status === 'processing');

  return (
    <>
      <PageHeader title="Library" />
      <AutoRefresh active={busy} />
      {uploader ? <UploadPanel /> : null}

      <nav aria-label="Library views" className="mb-4 flex flex-wrap gap-2">
        {VIEWS.filter((v) => v.key !== 'mine' || uploader).map((v) => (
          <Link
            key={v.key}
            href={href({ view: v.key, page: undefined })}
            aria-current={query.view === v.key ? 'page' : undefined}
            className={`rounded-full px-3 py-1 text-sm ${query.view === v.key ? 'bg-indigo-600 text-white' : 'bg-zinc-100 dark:bg-zinc-800'}`}
          >
            {v.label}
          </Link>
        ))}
      </nav>

      <form method="get" action="/library" className="mb-6 grid gap-2 sm:grid-cols-2 lg:grid-cols-4" role="search">
        <input type="hidden" name="view" value={query.view} />
        <input name="q" defaultValue={query.q ?? ''} placeholder="Search title, description, tags, people…" aria-label="Search" className={`${input} lg:col-span-2`} />
        <input name="category" defaultValue={query.category ?? ''} placeholder="Category" aria-label="Category" className={input} />
        <input name="tags" defaultValue={query.tags?.join(',') ?? ''} placeholder="Tags (comma-separated)" aria-label="Tags" className={input} />
        <input name="people" defaultValue={query.people?.join(',') ?? ''} placeholder="People" aria-label="People" className={input} />
        <input name="minDuration" type="number" min={0} defaultValue={query.minDuration ?? ''} placeholder="Min seconds" aria-label="Minimum duration (s)" className={input} />
        <input name="maxDuration" type="number" min={0} defaultValue={query.maxDuration ?? ''} placeholder="Max seconds" aria-label="Maximum duration (s)" className={input} />
        <label className="text-xs">From<input name="from" type="date" defaultValue={raw.from as string | undefined} className={`${input} w-full`} /></label>
        <label className="text-xs">To<input name="to" type="date" defaultValue={raw.to as string | undefined} className={`${input} w-full`} /></label>
        {uploader ? (
          <select name="status" defaultValue={query.status ?? ''} aria-label="Status" className={input}>
            <option value="">Any status</option>
            <option value="pending">Pending</option>
            <option value="processing">Processing</option>
            <option value="ready">Ready</option>
            <option value="failed">Failed</option>
          </select>
        ) : null}
        <select name="sort" defaultValue={query.sort ?? ''} aria-label="Sort" className={input}>
          <option value="">{query.q ? 'Relevance' : 'Newest'}</option>
          <option value="newest">Newest</option>
          <option value="oldest">Oldest</option>
          <option value="title">Title</option>
          <option value="duration">Longest</option>
        </select>
        <button type="submit" className="rounded-md bg-indigo-600 px-4 py-2 text-sm font-medium text-white hover:bg-indigo-500">
          Search
        </button>
      </form>

      {result.items.length === 0 ? (
        <EmptyState title={query.q || query.view !== 'all' ? 'Nothing matches' : 'No videos yet'}>
          {query.view === 'continue'
            ? 'Videos you start watching show up here so you can pick up where you left off.'
            : query.view === 'favorites'
              ? 'Mark videos with ☆ on their page to collect them here.'
              : uploader
                ? 'Upload an mp4, mov, mkv, webm or avi file above; it is transcoded to an adaptive, encrypted stream.'
                : 'Uploaders add videos here; they will appear once transcoded.'}
        </EmptyState>
      ) : (
        <ul className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3 xl:grid-cols-4" data-testid="video-grid">
          {result.items.map((v) => (
            <li key={v.id} className="overflow-hidden rounded-xl border border-zinc-200 dark:border-zinc-800">
              <Link href={`/library/${v.id}`} className="block focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500">
                <div className="relative aspect-video bg-zinc-200 dark:bg-zinc-800">
                  {v.posterUrl ? (
                    // eslint-disable-next-line @next/next/no-img-element
                    <img src={v.posterUrl} alt="" loading="lazy" className="h-full w-full object-cover" />
                  ) : null}
                  {v.durationS ? <span className="absolute bottom-1 right-1 rounded bg-black/70 px-1 text-xs text-white">{formatDuration(v.durationS)}</span> : null}
                  {v.positionS && v.durationS ? (
                    <div className="absolute inset-x-0 bottom-0 h-1 bg-black/40">
                      <div className="h-full bg-red-600" style={{ width: `${Math.min(100, (v.positionS / v.durationS) * 100)}%` }} />
                    </div>
                  ) : null}
                </div>
                <div className="space-y-1 p-3">
                  <div className="flex items-start justify-between gap-2">
                    <h2 className="line-clamp-2 text-sm font-medium">{v.title}</h2>
                    {v.favorite ? <span aria-label="Favorite">★</span> : null}
                  </div>
                  {v.status !== 'ready' ? <StatusBadge status={v.status} progress={v.progress} reason={v.failureReason} /> : null}
                  {v.failureReason ? <p className="text-xs text-red-600 dark:text-red-400">{v.failureReason}</p> : null}
                </div>
              </Link>
            </li>
          ))}
        </ul>
      )}

      {pages > 1 ? (
        <nav aria-label="Pagination" className="mt-6 flex items-center gap-3 text-sm">
          {query.page > 1 ? <Link href={href({ page: query.page - 1 })}>← Previous</Link> : null}
          <span>
            Page {query.page} of {pages} · {result.total} videos
          </span>
          {query.page < pages ? <Link href={href({ page: query.page + 1 })}>Next →</Link> : null}
        </nav>
      ) : null}
    </>
  );
}
