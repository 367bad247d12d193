// Display helpers for sessions (pure, shared by server and client components).
import type { NormalizedSession } from '@/lib/servers/sessions';

const pad = (n: number | null) => String(n ?? 0).padStart(2, '0');

/** "Show — S05E14 — Episode" for episodes, the title otherwise. */
export function displayTitle(s: Pick<NormalizedSession, 'mediaType' | 'title' | 'grandparentTitle' | 'parentIndex' | 'index'>): string {
  if (s.mediaType === 'episode' && s.grandparentTitle) {
    return `${s.grandparentTitle} — S${pad(s.parentIndex)}E${pad(s.index)} — ${s.title}`;
  }
  if (s.mediaType === 'track' && s.grandparentTitle) return `${s.grandparentTitle} — ${s.title}`;
  return s.title;
}

export const decisionLabel: Record<string, string> = { directplay: 'Direct Play', directstream: 'Direct Stream', transcode: 'Transcode' };

export function formatKbps(kbps: number): string {
  return kbps >= 1000 ? `${(kbps / 1000).toFixed(1)} Mbps` : `${kbps} kbps`;
}

export function formatMs(ms: number): string {
  const s = Math.floor(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  return h ? `${h}:${pad(m)}:${pad(sec)}` : `${m}:${pad(sec)}`;
}
