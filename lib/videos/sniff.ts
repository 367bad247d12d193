// Container detection by content (magic bytes). Extensions and client MIME types are never trusted.
export type Container = 'mp4' | 'mov' | 'mkv' | 'webm' | 'avi';

export const SNIFF_BYTES = 64;

function ascii(buf: Uint8Array, start: number, end: number): string {
  return Buffer.from(buf.subarray(start, end)).toString('latin1');
}

/** Returns the container of the first bytes of a file, or null when it is not a supported video. */
export function sniffContainer(head: Uint8Array): Container | null {
  if (head.length < 12) return null;
  // ISO BMFF (mp4/mov): [size:4]['ftyp'][brand:4]; QuickTime may also start with moov/mdat/wide/free.
  const box = ascii(head, 4, 8);
  if (box === 'ftyp') {
    const brand = ascii(head, 8, 12);
    return brand === 'qt  ' ? 'mov' : 'mp4';
  }
  if (['moov', 'mdat', 'wide', 'free', 'skip', 'pnot'].includes(box)) return 'mov';
  // EBML (Matroska / WebM): 1A 45 DF A3, then the DocType string somewhere in the header.
  if (head[0] === 0x1a && head[1] === 0x45 && head[2] === 0xdf && head[3] === 0xa3) {
    const text = ascii(head, 4, head.length);
    if (text.includes('webm')) return 'webm';
    return 'mkv';
  }
  // RIFF....AVI
  if (ascii(head, 0, 4) === 'RIFF' && ascii(head, 8, 12) === 'AVI ') return 'avi';
  return null;
}
