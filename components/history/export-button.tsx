'use client';
// Exports the filtered history through GET /api/history/export, counting rows as they stream in so a
// long export shows progress and can be cancelled; the file is handed to the browser at the end.
import { useRef, useState } from 'react';
import { buttonClass, inputClass } from '@/components/ui/form';

type Format = 'csv' | 'json' | 'ndjson';

function filenameOf(res: Response, fallback: string): string {
  return /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? fallback;
}

export function ExportButton({ query }: { query: string }) {
  const [format, setFormat] = useState<Format>('csv');
  const [rows, setRows] = useState<number | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const abort = useRef<AbortController | null>(null);

  async function run() {
    const controller = new AbortController();
    abort.current = controller;
    setRows(0);
    setMessage(null);
    try {
      const res = await fetch(`/api/history/export?format=${format}${query ? `&${query}` : ''}`, { signal: controller.signal });
      if (!res.ok || !res.body) {
        const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
        throw new Error(body?.error?.message ?? `Export failed (${res.status}).`);
      }
      const reader = res.body.getReader();
      const parts: Uint8Array[] = [];
      // Records end with CRLF in CSV, LF in NDJSON and the JSON array (one object a line).
      const eol = format === 'csv' ? 0x0d : 0x0a;
      let count = format === 'json' ? -1 : format === 'csv' ? -1 : 0; // the CSV header, the JSON "[" line
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        parts.push(value);
        for (const b of value) if (b === eol) count++;
        setRows(Math.max(0, count));
      }
      const blob = new Blob(parts as BlobPart[], { type: res.headers.get('content-type') ?? 'application/octet-stream' });
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = filenameOf(res, `marquee-history.${format}`);
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      const n = Math.max(0, format === 'json' ? count - 1 : count);
      setMessage(`Exported ${n.toLocaleString()} play${n === 1 ? '' : 's'}.`);
    } catch (err) {
      setMessage(controller.signal.aborted ? 'Export cancelled.' : (err as Error).message);
    } finally {
      abort.current = null;
      setRows(null);
    }
  }

  const running = rows !== null;
  return (
    <div className="flex items-center gap-2">
      <label className="sr-only" htmlFor="export-format">Export format</label>
      <select id="export-format" value={format} onChange={(e) => setFormat(e.target.value as Format)} className={`${inputClass} w-28`} disabled={running}>
        <option value="csv">CSV</option>
        <option value="json">JSON</option>
        <option value="ndjson">NDJSON</option>
      </select>
      {running ? (
        <>
          <span role="status" className="text-sm tabular-nums" data-testid="export-progress">{rows.toLocaleString()} rows exported…</span>
          <button type="button" className="rounded-md border border-zinc-300 px-3 py-2 text-sm dark:border-zinc-700" onClick={() => abort.current?.abort()}>Cancel</button>
        </>
      ) : (
        <button type="button" className={buttonClass} onClick={() => void run()}>Export</button>
      )}
      {message ? <span role="status" className="text-sm text-zinc-600 dark:text-zinc-400" data-testid="export-message">{message}</span> : null}
    </div>
  );
}
