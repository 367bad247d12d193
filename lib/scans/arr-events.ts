// The *arr "Webhook" connection payloads (Sonarr, Radarr, Lidarr, Readarr) → the folders to scan.
// Shapes (see /work/shared/fixtures): camelCase, null members omitted. Sonarr's Download comes as
// `episodeFile` + `isUpgrade` (+ `deletedFiles[]`) or, on import complete, as `episodeFiles[]` +
// `sourcePath`/`destinationPath`. A Download's `episodeFile.path`/`movieFile.path` is where the file
// was imported FROM (the download folder), so the library folder is the series/movie folder joined
// with `relativePath`. `deletedFiles` is an array on Download and a boolean on *Delete events.
import { folderOf, joinPath, normalizePath, parentOf } from './paths';

export { ARR_SOURCES, type ArrSource } from '../webhooks/sources';

export type ArrEvent =
  | { kind: 'test'; eventType: string }
  | { kind: 'ignored'; eventType: string }
  | { kind: 'scan'; eventType: string; folders: string[] };

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === 'string' && v.length > 0 ? v : null);
const objs = (v: unknown): Obj[] => (Array.isArray(v) ? v.filter(isObj) : isObj(v) ? [v] : []);

/** The media item's own folder: series.path, movie.folderPath, artist.path, author.path. */
function mediaRoot(body: Obj): string | null {
  for (const key of ['series', 'movie', 'artist', 'author']) {
    const item = body[key];
    if (!isObj(item)) continue;
    const p = str(item.folderPath) ?? str(item.path);
    if (p) return normalizePath(p);
  }
  return null;
}

/** Where an imported/existing file lives: root + relativePath when both are known, else its own path. */
function fileFolder(file: Obj, root: string | null, preferPath = false): string | null {
  const rel = str(file.relativePath);
  const own = str(file.path);
  if (preferPath && own) return parentOf(own);
  if (root && rel) return parentOf(joinPath(root, rel));
  if (own) return parentOf(own);
  return null;
}

const FILE_KEYS = ['episodeFile', 'episodeFiles', 'movieFile', 'movieFiles', 'trackFile', 'trackFiles', 'bookFile', 'bookFiles'];
const RENAMED_KEYS = ['renamedEpisodeFiles', 'renamedMovieFiles', 'renamedTrackFiles', 'renamedBookFiles'];

const FILE_DELETE = new Set(['EpisodeFileDelete', 'MovieFileDelete', 'TrackFileDelete', 'BookFileDelete']);
const ITEM_DELETE = new Set(['SeriesDelete', 'MovieDelete', 'ArtistDelete', 'AlbumDelete', 'AuthorDelete', 'BookDelete']);

function filesOf(body: Obj): Obj[] {
  return FILE_KEYS.flatMap((k) => objs(body[k]));
}

function unique(folders: (string | null)[]): string[] {
  return [...new Set(folders.filter((f): f is string => !!f))];
}

function downloadFolders(body: Obj, root: string | null): string[] {
  const imported = filesOf(body).map((f) => fileFolder(f, root));
  // Upgrades: the replaced files' folders too (an old file in another season folder must disappear).
  const deleted = Array.isArray(body.deletedFiles) ? objs(body.deletedFiles).map((f) => fileFolder(f, root, true)) : [];
  const destination = str(body.destinationPath);
  const out = unique([...imported, ...deleted]);
  if (out.length === 0 && destination) return [folderOf(destination)];
  if (out.length === 0 && root) return [root];
  return out;
}

function renameFolders(body: Obj, root: string | null): string[] {
  const renamed = RENAMED_KEYS.flatMap((k) => objs(body[k]));
  const folders: (string | null)[] = [];
  for (const f of renamed) {
    folders.push(fileFolder(f, root));
    const prev = str(f.previousPath);
    if (prev) folders.push(parentOf(prev));
  }
  const out = unique(folders);
  return out.length > 0 ? out : root ? [root] : [];
}

export function parseArrEvent(body: unknown): ArrEvent {
  if (!isObj(body)) return { kind: 'ignored', eventType: 'unknown' };
  const eventType = str(body.eventType) ?? 'unknown';
  if (eventType === 'Test') return { kind: 'test', eventType };
  const root = mediaRoot(body);
  let folders: string[] = [];
  if (eventType === 'Download' || eventType === 'Import' || eventType === 'AlbumDownload' || eventType === 'BookDownload') folders = downloadFolders(body, root);
  else if (eventType === 'Rename') folders = renameFolders(body, root);
  else if (FILE_DELETE.has(eventType)) folders = unique(filesOf(body).map((f) => fileFolder(f, root, true)));
  else if (ITEM_DELETE.has(eventType)) folders = root ? [root] : [];
  else if (eventType === 'Retag' || eventType === 'TrackRetag' || eventType === 'BookRetag') {
    folders = unique(filesOf(body).map((f) => fileFolder(f, root, true)));
    if (folders.length === 0 && root) folders = [root];
  } else return { kind: 'ignored', eventType };
  if (folders.length === 0) return { kind: 'ignored', eventType };
  return { kind: 'scan', eventType, folders };
}
