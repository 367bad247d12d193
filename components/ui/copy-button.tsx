'use client';

import { useState } from 'react';

/**
 * The Clipboard API exists only in secure contexts, and Marquee is often opened over plain HTTP on a
 * LAN address: there the hidden-textarea copy still works.
 */
async function copyText(value: string): Promise<void> {
  if (window.isSecureContext && navigator.clipboard) {
    await navigator.clipboard.writeText(value);
    return;
  }
  const ta = document.createElement('textarea');
  ta.value = value;
  ta.setAttribute('readonly', '');
  ta.style.position = 'fixed';
  ta.style.opacity = '0';
  document.body.appendChild(ta);
  ta.select();
  const ok = document.execCommand('copy');
  ta.remove();
  if (!ok) throw new Error('copy refused');
}

/** `value` may be a function, read at click time (for text only the browser knows, like its origin). */
export function CopyButton({ value, label = 'Copy' }: { value: string | (() => string); label?: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  return (
    <button
      type="button"
      onClick={async () => {
        const copied = await copyText(typeof value === 'function' ? value() : value).then(
          () => true,
          () => false,
        );
        setState(copied ? 'copied' : 'failed');
        setTimeout(() => setState('idle'), copied ? 1500 : 4000);
      }}
      className="rounded-md border border-zinc-300 px-2 py-1 text-xs hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-800"
      aria-live="polite"
    >
      {state === 'copied' ? 'Copied' : state === 'failed' ? 'Copy failed: select the text' : label}
    </button>
  );
}
