// Small helpers shared by the parsers: resolutions, decisions, HDR and LAN detection.
import type { HdrType, StreamDecision } from './types';

export function arr<T = unknown>(x: T | T[] | null | undefined): T[] {
  if (x == null) return [];
  return Array.isArray(x) ? x : [x];
}

export function one<T = unknown>(x: T | T[] | null | undefined): T | undefined {
  return Array.isArray(x) ? x[0] : (x ?? undefined);
}

export function num(x: unknown): number | null {
  if (x === null || x === undefined || x === '') return null;
  const n = typeof x === 'number' ? x : Number(x);
  return Number.isFinite(n) ? n : null;
}

export function str(x: unknown): string | null {
  if (x === null || x === undefined) return null;
  const s = String(x);
  return s === '' ? null : s;
}

export function bool(x: unknown): boolean {
  return x === true || x === 1 || x === '1' || x === 'true';
}

/** "4K", "1080p", "720p", … from pixel dimensions (width first: scope films are short). */
export function resolutionFromSize(width: number | null, height: number | null): string | null {
  if (!width && !height) return null;
  const w = width ?? 0;
  const h = height ?? 0;
  if (w >= 3200 || h >= 2000) return '4K';
  if (w >= 2300 || h >= 1400) return '1440p';
  if (w >= 1700 || h >= 1000) return '1080p';
  if (w >= 1200 || h >= 700) return '720p';
  if (h >= 560 || w >= 1000) return '576p';
  if (h >= 470 || w >= 700) return '480p';
  return 'SD';
}

/** Plex videoResolution values ("4k", "1080", "720p", "sd") → our labels. */
export function normalizeResolutionLabel(raw: unknown): string | null {
  const s = str(raw)?.toLowerCase();
  if (!s) return null;
  if (s === '4k' || s === '2160' || s === '2160p') return '4K';
  if (s === 'sd') return 'SD';
  const m = /^(\d{3,4})[pi]?$/.exec(s);
  if (m) return `${m[1]}p`;
  return s;
}

/** Plex/Tautulli words → ours. */
export function decisionFromWord(raw: unknown): StreamDecision | null {
  const s = str(raw)?.toLowerCase();
  if (!s) return null;
  if (s === 'transcode') return 'transcode';
  if (s === 'copy' || s === 'directstream' || s === 'direct stream') return 'directstream';
  if (s === 'directplay' || s === 'direct' || s === 'direct play') return 'directplay';
  return null;
}

export function overallDecision(...parts: (StreamDecision | null)[]): StreamDecision {
  if (parts.includes('transcode')) return 'transcode';
  if (parts.includes('directstream')) return 'directstream';
  return 'directplay';
}

/** Jellyfin/Emby VideoRangeType (HDR10, HDR10Plus, DOVI, DOVIWithHDR10, HLG, …). */
export function hdrFromRangeType(rangeType: unknown, range?: unknown, transfer?: unknown): HdrType | null {
  const t = str(rangeType)?.toUpperCase() ?? '';
  if (t.startsWith('DOVI')) return 'DV';
  if (t === 'HDR10PLUS' || t === 'HDR10+') return 'HDR10+';
  if (t === 'HDR10') return 'HDR10';
  if (t === 'HLG') return 'HLG';
  return hdrFromTransfer(transfer) ?? (str(range)?.toUpperCase() === 'HDR' ? 'HDR10' : null);
}

export function hdrFromTransfer(transfer: unknown): HdrType | null {
  const t = str(transfer)?.toLowerCase();
  if (t === 'smpte2084') return 'HDR10';
  if (t === 'arib-std-b67') return 'HLG';
  return null;
}

/** RFC 1918 / loopback / link-local / ULA: a LAN client. */
export function isPrivateAddress(ip: string | null): boolean {
  if (!ip) return false;
  const a = ip.replace(/^::ffff:/, '').replace(/^(\d+\.\d+\.\d+\.\d+):\d+$/, '$1');
  if (/^(10\.|127\.|192\.168\.|169\.254\.)/.test(a)) return true;
  const m = /^172\.(\d+)\./.exec(a);
  if (m && Number(m[1]) >= 16 && Number(m[1]) <= 31) return true;
  if (a === '::1' || /^f[cd][0-9a-f]{2}:/i.test(a) || /^fe80:/i.test(a)) return true;
  return false;
}

export const TICKS_PER_MS = 10_000;
