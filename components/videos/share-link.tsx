'use client';
// Copies the absolute sealed stream URL (relative on the server, made absolute in the browser).
import { useState } from 'react';

export function ShareLink({ path }: { path: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <button
      type="button"
      onClick={async () => {
        await navigator.clipboard.writeText(new URL(path, window.location.origin).toString());
        setCopied(true);
        setTimeout(() => setCopied(false), 1500);
      }}
      className="rounded-md border border-zinc-300 px-2 py-1 text-xs hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-800"
      aria-live="polite"
    >
      {copied ? 'Copied' : 'Copy stream link'}
    </button>
  );
}
