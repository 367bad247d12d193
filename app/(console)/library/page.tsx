import Link from 'next/link';
import { requirePageActor } from '@/lib/auth/current-user';
import { can } from '@/lib/auth/permissions';
import { listQuerySchema, listUploaders, listVideos } from '@/lib/videos/library';
import { SearchBox } from '@/components/videos/search-box';
import { PageHeader } from '@/components/ui/page-header';
import { EmptyState } from '@/components/ui/empty-state';
import { buttonClass, FormError, inputClass } from '@/components/ui/form';
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
  { key: 'recent', label: 'Recently watched' },
  { key: 'favorites', label: 'Favorites' },
  { key: 'mine', label: 'My uploads' },
] as const;

export default async function LibraryPage({ searchParams }: { searchParams: SP }) {
  const actor = await requirePageActor();
  const raw = Object.fromEntries(Object.entries(await searchParams).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = listQuerySchema.safeParse(raw);
  const query = parsed.success ? parsed.data : listQuerySchema.parse({});
  const [result, uploaders] = await Promise.all([listVideos(actor, query), listUploaders(actor)]);
  const uploader = can(actor, 'videos:upload');
  const pages = Math.max(1, Math.ceil(result.total / result.pageSize));
  const href = (over: Record<string, string | number | undefined>) => {
    const p = new URLSearchParams();
    for (const [k, v] of Object.entries({ ...raw, ...over })) if (v !== undefined && v !== '') p.set(k, String(v));
    return `/library?${p}`;
  };
  const labelClass = 'flex flex-col gap-1 text-xs font-medium';
  // The fields show what was typed, even when the query was rejected and the defaults were used.
  const typed = (k: string) => (typeof raw[k] === 'string' ? raw[k] : undefined);
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
        <label className={`${labelClass} lg:col-span-2`}>
          Search
          <SearchBox defaultValue={typed('q')} className={inputClass} />
        </label>
        <label className={labelClass}>
          Category
          <input name="category" defaultValue={typed('category')} className={inputClass} />
        </label>
        <label className={labelClass}>
          Tags
          <input name="tags" defaultValue={typed('tags')} placeholder="Comma-separated" className={inputClass} />
        </label>
        <label className={labelClass}>
          People
          <input name="people" defaultValue={typed('people')} placeholder="Comma-separated" className={inputClass} />
        </label>
        <label className={labelClass}>
          Minimum duration (s)
          <input name="minDuration" type="number" min={0} defaultValue={typed('minDuration')} className={inputClass} />
        </label>
        <label className={labelClass}>
          Maximum duration (s)
          <input name="maxDuration" type="number" min={0} defaultValue={typed('maxDuration')} className={inputClass} />
        </label>
        <label className={labelClass}>
          Uploaded from
          <input name="from" type="date" defaultValue={typed('from')} className={inputClass} />
        </label>
        <label className={labelClass}>
          Uploaded to
          <input name="to" type="date" defaultValue={typed('to')} className={inputClass} />
        </label>
        {uploader ? (
          <div className={labelClass}>
            <label htmlFor="library-status">Status</label>
            <select id="library-status" name="status" defaultValue={typed('status')} className={inputClass}>
              <option value="">Any status</option>
              <option value="pending">Pending</option>
              <option value="processing">Processing</option>
              <option value="ready">Ready</option>
              <option value="failed">Failed</option>
            </select>
          </div>
        ) : null}
        {/* A select is labelled with htmlFor: inside a <label> its options would join its name. */}
        <div className={labelClass}>
          <label htmlFor="library-uploader">Uploader</label>
          <select id="library-uploader" name="uploader" defaultValue={typed('uploader')} className={inputClass}>
            <option value="">Anyone</option>
            {uploaders.map((u) => (
              <option key={u.id} value={u.id}>
                {u.name}
              </option>
            ))}
          </select>
        </div>
        <div className={labelClass}>
          <label htmlFor="library-sort">Sort</label>
          <select id="library-sort" name="sort" defaultValue={typed('sort')} className={inputClass}>
            <option value="">{query.q ? 'Relevance' : 'Newest'}</option>
            <option value="newest">Newest</option>
            <option value="oldest">Oldest</option>
            <option value="title">Title</option>
            <option value="duration">Longest</option>
          </select>
        </div>
        <button type="submit" className={`${buttonClass} self-end`}>
          Search
        </button>
      </form>
      {parsed.success ? null : (
        <div className="-mt-4 mb-6">
          <FormError message="Some filters were not understood (check the numbers and dates); showing all videos instead." />
        </div>
      )}

      {result.items.length === 0 ? (
        <EmptyState title={query.q || query.view !== 'all' ? 'Nothing matches' : 'No videos yet'}>
          {query.view === 'continue'
            ? 'Videos you start watching show up here so you can pick up where you left off.'
            : query.view === 'recent'
              ? 'Everything you have watched, most recent first, shows up here.'
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
