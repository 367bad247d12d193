'use client';
// Favorite toggle, metadata edit, delete and retry on the player page.
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { callApi, errorMessage } from '@/components/ui/api';

const call = (url: string, method: string, body?: unknown) => callApi(url, { method, body });

export function FavoriteButton({ videoId, initial }: { videoId: string; initial: boolean }) {
  const [on, setOn] = useState(initial);
  return (
    <button
      type="button"
      aria-pressed={on}
      onClick={async () => {
        const next = !on;
        setOn(next);
        await call(`/api/videos/${videoId}/favorite`, next ? 'PUT' : 'DELETE').catch(() => setOn(!next));
      }}
      className="rounded-md border border-zinc-300 px-3 py-1.5 text-sm dark:border-zinc-700"
    >
      {on ? '★ Favorite' : '☆ Add to favorites'}
    </button>
  );
}

export function RetryButton({ videoId }: { videoId: string }) {
  const router = useRouter();
  const [err, setErr] = useState('');
  return (
    <span>
      <button
        type="button"
        className="rounded-md bg-indigo-600 px-3 py-1.5 text-sm text-white"
        onClick={() => call(`/api/videos/${videoId}/retry`, 'POST').then(() => router.refresh(), (e: unknown) => setErr(errorMessage(e)))}
      >
        Retry transcode
      </button>
      {err ? <span role="alert" className="ml-2 text-sm text-red-600">{err}</span> : null}
    </span>
  );
}

export function VideoEditor({
  video,
}: {
  video: { id: string; title: string; description: string; category: string | null; tags: string[]; people: string[] };
}) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [err, setErr] = useState('');
  const list = (s: FormDataEntryValue | null) => String(s ?? '').split(',').map((x) => x.trim()).filter(Boolean);
  async function save(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    try {
      await call(`/api/videos/${video.id}`, 'PATCH', {
        title: String(f.get('title')),
        description: String(f.get('description') ?? ''),
        category: String(f.get('category') ?? '').trim() || null,
        tags: list(f.get('tags')),
        people: list(f.get('people')),
      });
      setOpen(false);
      router.refresh();
    } catch (e2) {
      setErr(errorMessage(e2));
    }
  }
  async function remove() {
    if (!confirm('Delete this video and its files?')) return;
    try {
      await call(`/api/videos/${video.id}`, 'DELETE');
      router.push('/library');
    } catch (e2) {
      setErr(errorMessage(e2));
    }
  }
  const input = 'block w-full rounded-md border border-zinc-300 bg-white px-3 py-2 text-sm dark:border-zinc-700 dark:bg-zinc-900';
  return (
    <div className="space-y-2">
      <div className="flex gap-2">
        <button type="button" onClick={() => setOpen(!open)} className="rounded-md border border-zinc-300 px-3 py-1.5 text-sm dark:border-zinc-700">
          {open ? 'Close editor' : 'Edit'}
        </button>
        <button type="button" onClick={remove} className="rounded-md border border-red-300 px-3 py-1.5 text-sm text-red-700 dark:border-red-800 dark:text-red-300">
          Delete
        </button>
      </div>
      {open ? (
        <form onSubmit={save} className="space-y-2" aria-label="Edit video">
          <label className="block text-sm">Title<input name="title" defaultValue={video.title} required className={input} /></label>
          <label className="block text-sm">Description<textarea name="description" defaultValue={video.description} rows={3} className={input} /></label>
          <label className="block text-sm">Category<input name="category" defaultValue={video.category ?? ''} className={input} /></label>
          <label className="block text-sm">Tags (comma-separated)<input name="tags" defaultValue={video.tags.join(', ')} className={input} /></label>
          <label className="block text-sm">People (comma-separated)<input name="people" defaultValue={video.people.join(', ')} className={input} /></label>
          <button type="submit" className="rounded-md bg-indigo-600 px-3 py-1.5 text-sm text-white">Save</button>
        </form>
      ) : null}
      {err ? <p role="alert" className="text-sm text-red-600">{err}</p> : null}
    </div>
  );
}
