// Path handling shared by the *arr parsers, path mappings and library resolution. Paths are compared
// in one "slash" form: backslashes of a Windows sender become `/`, doubled separators collapse, and no
// trailing separator remains, so `D:\TV\Show\` and `D:/TV/Show` are the same folder. A path is handed
// back in a server's own form (backslashes for a Windows library) only when the call is made.
import { AppError } from '../http/errors';

const WINDOWS_DRIVE = /^[A-Za-z]:[\\/]/;

/** True for `D:\…`, `D:/…` and UNC `\\server\share…` paths. */
export function isWindowsPath(p: string): boolean {
  return WINDOWS_DRIVE.test(p) || p.startsWith('\\\\');
}

export function normalizePath(input: string): string {
  let p = input;
  const windows = isWindowsPath(p);
  if (windows || (p.includes('\\') && !p.startsWith('/'))) p = p.replace(/\\/g, '/');
  const unc = p.startsWith('//');
  p = p.replace(/\/{2,}/g, '/');
  if (unc) p = `/${p}`;
  if (WINDOWS_DRIVE.test(p)) p = p[0]!.toUpperCase() + p.slice(1);
  // Keep a root (`/`, `C:/`) whole; drop any other trailing separator.
  while (p.length > 1 && p.endsWith('/') && !/^[A-Za-z]:\/$/.test(p)) p = p.slice(0, -1);
  return p;
}

export function isAbsolutePath(p: string): boolean {
  return p.startsWith('/') || isWindowsPath(p);
}

/** `child` is `root` or lies inside it (whole path segments: /tv does not contain /tvshows). */
export function isUnder(child: string, root: string): boolean {
  if (child === root) return true;
  const prefix = root.endsWith('/') ? root : `${root}/`;
  return child.startsWith(prefix);
}

export function joinPath(base: string, rel: string): string {
  return normalizePath(`${base}/${rel.replace(/\\/g, '/')}`);
}

export function parentOf(p: string): string {
  const n = normalizePath(p);
  const i = n.lastIndexOf('/');
  if (i < 0) return n;
  if (i === 0) return '/';
  if (/^[A-Za-z]:$/.test(n.slice(0, i))) return n.slice(0, i + 1);
  return n.slice(0, i);
}

/**
 * Extensions that mark a path as a file rather than a folder (media, sidecars, books). Folder names
 * such as "Mr. Robot" or "Vol. 2" carry no such extension, so they stay folders.
 */
const FILE_EXTENSIONS = new Set(
  'mkv mp4 m4v avi mov wmv ts m2ts mpg mpeg webm flv iso vob divx ogm 3gp flac mp3 m4a m4b aac ogg oga opus wav wma alac ape aiff dsf dff epub mobi azw azw3 pdf cbz cbr djvu srt ass ssa sub idx vtt sup nfo jpg jpeg png webp tbn txt'.split(' '),
);

export function looksLikeFile(p: string): boolean {
  const name = normalizePath(p).split('/').pop() ?? '';
  const dot = name.lastIndexOf('.');
  return dot > 0 && FILE_EXTENSIONS.has(name.slice(dot + 1).toLowerCase());
}

/** The folder to scan for a path that may name a file: a scan never targets a file. */
export function folderOf(p: string): string {
  return looksLikeFile(p) ? parentOf(p) : normalizePath(p);
}

/** The path in the form a server with this library root expects (backslashes for Windows roots). */
export function toServerForm(p: string, libraryRoot: string): string {
  return libraryRoot.includes('\\') ? p.replace(/\//g, '\\') : p;
}

/** The folder as rclone's VFS names it: relative to the mount root; null when outside the mount. */
export function rcloneDir(folder: string, root: string | null): string | null {
  const f = normalizePath(folder);
  if (!root) return f.replace(/^\/+/, '');
  const r = normalizePath(root);
  if (!isUnder(f, r)) return null;
  return f.slice(r.length).replace(/^\/+/, '');
}

/**
 * A path a person typed (manual scan, "test a path", scheduled rescan): absolute, no `..` segment,
 * no NUL or other control character. Returns it normalized.
 */
export function validateScanPath(input: unknown): string {
  if (typeof input !== 'string' || input.length === 0) throw new AppError('invalid_path', 'Give the folder or file to scan as an absolute path.', { status: 422 });
  if (input.length > 4096) throw new AppError('invalid_path', 'The path is longer than 4096 characters.', { status: 422 });
  if (/[\u0000-\u001f]/.test(input)) throw new AppError('invalid_path', 'The path contains a NUL or control character.', { status: 422 });
  if (!isAbsolutePath(input)) throw new AppError('invalid_path', 'The path must be absolute (start with / or a drive letter such as D:\\).', { status: 422 });
  if (input.split(/[\\/]/).some((seg) => seg === '..')) throw new AppError('invalid_path', 'The path must not contain "..".', { status: 422 });
  return normalizePath(input);
}
