'use client';
// Resumable upload: creates an upload session, sends Content-Range chunks with a progress bar,
// resumes from the server's offset after a network error, and can be cancelled.
import { useRouter } from 'next/navigation';
import { useRef, useState } from 'react';
import type { IngestResult } from '@/lib/videos/ingest';
import type { UploadState } from '@/lib/videos/resumable';
import { callApi, errorMessage } from '@/components/ui/api';

type Phase = 'idle' | 'uploading' | 'done' | 'error' | 'cancelled';

/** A chunk's answer: the upload's state, the video once complete, or an error (409 carries the offset). */
type ChunkReply = Partial<UploadState> & {
  video?: IngestResult;
  error?: { message?: string; details?: { offset?: number } };
};

function sendChunk(url: string, blob: Blob, start: number, total: number, onBytes: (n: number) => void, xhrRef: { current: XMLHttpRequest | null }) {
  return new Promise<{ status: number; body: ChunkReply }>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhrRef.current = xhr;
    xhr.open('PUT', url);
    xhr.setRequestHeader('content-range', `bytes ${start}-${start + blob.size - 1}/${total}`);
    xhr.upload.onprogress = (e) => onBytes(e.loaded);
    xhr.onload = () => {
      let body: ChunkReply = {};
      try {
        body = JSON.parse(xhr.responseText || '{}');
      } catch {}
      resolve({ status: xhr.status, body });
    };
    xhr.onerror = () => reject(new Error('network'));
    xhr.onabort = () => reject(new Error('aborted'));
    xhr.send(blob);
  });
}

export function UploadPanel() {
  const router = useRouter();
  const [file, setFile] = useState<File | null>(null);
  const [title, setTitle] = useState('');
  const [pct, setPct] = useState(0);
  const [phase, setPhase] = useState<Phase>('idle');
  const [message, setMessage] = useState('');
  const xhr = useRef<XMLHttpRequest | null>(null);
  const cancelled = useRef(false);
  const sessionId = useRef<string | null>(null);

  async function start(e: React.FormEvent) {
    e.preventDefault();
    if (!file) return;
    cancelled.current = false;
    setPhase('uploading');
    setMessage('');
    setPct(0);
    try {
      const s = await callApi<{ id: string; chunkBytes: number }>('/api/videos/uploads', {
        method: 'POST',
        body: { title: title.trim() || file.name.replace(/\.[^.]+$/, ''), sizeBytes: file.size },
      });
      sessionId.current = s.id;
      const url = `/api/videos/uploads/${s.id}`;
      let offset = 0;
      let failures = 0;
      while (offset < file.size) {
        if (cancelled.current) return;
        const blob = file.slice(offset, Math.min(file.size, offset + s.chunkBytes));
        try {
          const r = await sendChunk(url, blob, offset, file.size, (n) => setPct(Math.floor(((offset + n) / file.size) * 100)), xhr);
          if (r.status === 409 && typeof r.body.error?.details?.offset === 'number') {
            offset = r.body.error.details.offset;
            continue;
          }
          if (r.status >= 400) throw Object.assign(new Error(r.body?.error?.message ?? `Upload failed (${r.status}).`), { fatal: true });
          failures = 0;
          if (r.body.video) {
            setPct(100);
            setPhase('done');
            setMessage(r.body.video.duplicate ? 'This file was already uploaded: opening the existing video.' : 'Uploaded. Transcoding has started.');
            router.push(`/library/${r.body.video.id}`);
            return;
          }
          offset = r.body.offset ?? offset;
        } catch (err) {
          if (cancelled.current) return;
          if ((err as { fatal?: boolean }).fatal || ++failures > 5) throw err;
          // Network trouble: ask the server where to resume, then continue.
          await new Promise((r) => setTimeout(r, 1000 * failures));
          offset = (await callApi<{ offset: number }>(url)).offset;
        }
      }
    } catch (err) {
      if (cancelled.current) return;
      setPhase('error');
      setMessage(errorMessage(err));
    }
  }

  async function cancel() {
    cancelled.current = true;
    xhr.current?.abort();
    if (sessionId.current) await callApi(`/api/videos/uploads/${sessionId.current}`, { method: 'DELETE' }).catch(() => {});
    setPhase('cancelled');
    setMessage('Upload cancelled.');
    setPct(0);
  }

  return (
    <form onSubmit={start} className="mb-6 space-y-3 rounded-xl border border-zinc-200 p-4 dark:border-zinc-800" aria-label="Upload a video">
      <h2 className="text-sm font-semibold">Upload a video</h2>
      <div className="flex flex-wrap items-end gap-3">
        <label className="text-sm">
          <span className="mb-1 block font-medium">File</span>
          <input
            type="file"
            name="file"
            accept="video/*,.mkv,.avi"
            onChange={(e) => setFile(e.target.files?.[0] ?? null)}
            className="text-sm"
            data-testid="upload-file"
            disabled={phase === 'uploading'}
          />
        </label>
        <label className="text-sm">
          <span className="mb-1 block font-medium">Title</span>
          <input
            value={title}
            onChange={(e) => setTitle(e.target.value)}
            placeholder="Defaults to the file name"
            className="rounded-md border border-zinc-300 bg-white px-3 py-2 text-sm dark:border-zinc-700 dark:bg-zinc-900"
            disabled={phase === 'uploading'}
          />
        </label>
        {phase === 'uploading' ? (
          <button type="button" onClick={cancel} className="rounded-md border border-zinc-300 px-4 py-2 text-sm dark:border-zinc-700">
            Cancel
          </button>
        ) : (
          <button type="submit" disabled={!file} className="rounded-md bg-indigo-600 px-4 py-2 text-sm font-medium text-white hover:bg-indigo-500 disabled:opacity-50">
            Upload
          </button>
        )}
      </div>
      {phase !== 'idle' ? (
        <div>
          <div className="h-2 w-full overflow-hidden rounded bg-zinc-200 dark:bg-zinc-800" role="progressbar" aria-label="Upload progress" aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct} data-testid="upload-progress">
            <div className="h-full bg-indigo-600 transition-all" style={{ width: `${pct}%` }} />
          </div>
          <p className="mt-1 text-xs text-zinc-600 dark:text-zinc-400" role="status">
            {phase === 'uploading' ? `${pct}% uploaded` : message}
          </p>
        </div>
      ) : null}
    </form>
  );
}
