// From a requested folder (as the *arr names it) to what each media server should scan: the path
// mappings rewrite it (ordered, first match wins, global or per server), then the server's synced
// libraries are matched by longest folder prefix. A folder above a library root is clamped to that
// root (a scan never leaves its library); a folder in no library is skipped with the reason.
import { isUnder, normalizePath } from './paths';

export interface MappingRule {
  id: string;
  kind: string; // prefix | regex
  from: string;
  to: string;
  serverId: string | null;
}

export interface LibraryInfo {
  externalId: string;
  name: string;
  paths: string[];
}

export interface ServerInfo {
  id: string;
  name: string;
  type: 'plex' | 'jellyfin' | 'emby';
  libraries: LibraryInfo[];
}

export interface ScanTarget {
  serverId: string;
  libraryKey: string;
  libraryName: string;
  /** The folder to scan, normalized (slash form). */
  path: string;
  /** The library root as the server wrote it (its separator style is used for the call). */
  libraryRoot: string;
}

export type Resolution =
  | { serverId: string; serverName: string; mappedPath: string; mapping: MappingRule | null; targets: ScanTarget[]; skipped?: undefined }
  | { serverId: string; serverName: string; mappedPath: string; mapping: MappingRule | null; targets: []; skipped: string };

/** Compiles a regex mapping; null when the pattern is invalid (refused when the mapping is saved). */
export function compileMappingRegex(pattern: string): RegExp | null {
  try {
    return new RegExp(pattern);
  } catch {
    return null;
  }
}

/** Applies the first matching mapping for this server (mappings given in their order). */
export function applyMappings(path: string, mappings: MappingRule[], serverId: string | null): { path: string; mapping: MappingRule | null } {
  const p = normalizePath(path);
  for (const m of mappings) {
    if (m.serverId !== null && m.serverId !== serverId) continue;
    if (m.kind === 'regex') {
      const re = compileMappingRegex(m.from);
      if (!re || !re.test(p)) continue;
      return { path: normalizePath(p.replace(re, m.to)), mapping: m };
    }
    const from = normalizePath(m.from);
    if (!isUnder(p, from)) continue;
    const rest = p.slice(from.length);
    return { path: normalizePath(`${normalizePath(m.to)}${rest.startsWith('/') || rest === '' ? rest : `/${rest}`}`), mapping: m };
  }
  return { path: p, mapping: null };
}

/** The libraries of one server that should scan `folder`, and the folder each scans. */
export function pickLibraries(folder: string, server: ServerInfo): ScanTarget[] {
  let best = -1;
  let inside: ScanTarget[] = [];
  const above: ScanTarget[] = [];
  for (const lib of server.libraries) {
    for (const raw of lib.paths) {
      const root = normalizePath(raw);
      if (isUnder(folder, root)) {
        const t = { serverId: server.id, libraryKey: lib.externalId, libraryName: lib.name, path: folder, libraryRoot: raw };
        if (root.length > best) {
          best = root.length;
          inside = [t];
        } else if (root.length === best && !inside.some((x) => x.libraryKey === lib.externalId)) inside.push(t);
      } else if (isUnder(root, folder)) {
        // The folder holds the whole library (e.g. a request for the movie root's parent): scan the root.
        above.push({ serverId: server.id, libraryKey: lib.externalId, libraryName: lib.name, path: root, libraryRoot: raw });
      }
    }
  }
  return inside.length > 0 ? inside : above;
}

/**
 * Jellyfin and Emby are told "this path changed" and find the library themselves: one call per
 * folder, whatever the number of libraries holding it. Plex scans per section.
 */
export function collapseForServer(targets: ScanTarget[], type: ServerInfo['type']): ScanTarget[] {
  if (type === 'plex') return targets;
  const byPath = new Map<string, ScanTarget>();
  for (const t of targets) {
    const prev = byPath.get(t.path);
    if (prev) prev.libraryName = `${prev.libraryName}, ${t.libraryName}`;
    else byPath.set(t.path, { ...t });
  }
  return [...byPath.values()];
}

export function resolveForServers(sourcePath: string, servers: ServerInfo[], mappings: MappingRule[]): Resolution[] {
  return servers.map((server) => {
    const { path, mapping } = applyMappings(sourcePath, mappings, server.id);
    const targets = collapseForServer(pickLibraries(path, server), server.type);
    if (targets.length > 0) return { serverId: server.id, serverName: server.name, mappedPath: path, mapping, targets };
    const roots = server.libraries.flatMap((l) => l.paths);
    const reason =
      roots.length === 0
        ? `${server.name} has no library folders synced yet (sync the server's libraries first).`
        : `${path} is not inside any library folder of ${server.name} (${roots.slice(0, 6).join(', ')}${roots.length > 6 ? ', …' : ''})${mapping ? '' : '; no path mapping matched'}.`;
    return { serverId: server.id, serverName: server.name, mappedPath: path, mapping, targets: [], skipped: reason };
  });
}
