// Path mapping and library resolution edge cases (PRODUCT.md §6).
import { describe, expect, test } from 'vitest';
import { applyMappings, resolveForServers, type MappingRule, type ServerInfo } from '../../../lib/scans/resolve';
import { folderOf, normalizePath, rcloneDir, validateScanPath } from '../../../lib/scans/paths';

const plex: ServerInfo = {
  id: 'p1',
  name: 'Plex',
  type: 'plex',
  libraries: [
    { externalId: '1', name: 'Movies', paths: ['/data/movies/'] },
    { externalId: '2', name: 'TV', paths: ['/data/tv'] },
    { externalId: '3', name: 'Kids TV', paths: ['/data/tv'] },
    { externalId: '4', name: 'TV Anime', paths: ['/data/tv/anime'] },
  ],
};
const jelly: ServerInfo = { id: 'j1', name: 'Jellyfin', type: 'jellyfin', libraries: [{ externalId: 'a', name: 'Shows', paths: ['/media/tv'] }, { externalId: 'b', name: 'Shows 2', paths: ['/media/tv'] }] };
const win: ServerInfo = { id: 'e1', name: 'Emby', type: 'emby', libraries: [{ externalId: '9', name: 'TV', paths: ['\\\\NAS\\media\\tv'] }] };
const rule = (r: Partial<MappingRule>): MappingRule => ({ id: r.id ?? 'm', kind: 'prefix', from: '/', to: '/', serverId: null, ...r });

describe('paths', () => {
  test('trailing slashes, doubled separators and Windows separators normalize', () => {
    expect(normalizePath('/data/tv/')).toBe('/data/tv');
    expect(normalizePath('/data//tv///Show/')).toBe('/data/tv/Show');
    expect(normalizePath('d:\\TV\\Show\\')).toBe('D:/TV/Show');
    expect(normalizePath('\\\\NAS\\media\\tv')).toBe('//NAS/media/tv');
    expect(normalizePath('/')).toBe('/');
  });
  test('a file path is reduced to its folder; a folder named like "Mr. Robot" stays a folder', () => {
    expect(folderOf('/data/tv/Show/Season 1/e01.mkv')).toBe('/data/tv/Show/Season 1');
    expect(folderOf('/data/tv/Mr. Robot')).toBe('/data/tv/Mr. Robot');
    expect(folderOf('/data/movies/Movie.2020.mkv')).toBe('/data/movies');
  });
  test('manual paths must be absolute, without .. or NUL', () => {
    expect(() => validateScanPath('data/tv')).toThrow(/absolute/);
    expect(() => validateScanPath('/data/tv/../etc')).toThrow(/\.\./);
    expect(() => validateScanPath('/data/tv\u0000x')).toThrow(/NUL/);
    expect(validateScanPath('/data/tv/')).toBe('/data/tv');
  });
});

describe('mappings', () => {
  test('prefix mappings match whole segments and keep the rest', () => {
    const m = [rule({ from: '/tv/', to: '/data/tv' })];
    expect(applyMappings('/tv/Show/Season 1', m, 'p1').path).toBe('/data/tv/Show/Season 1');
    expect(applyMappings('/tvshows/Show', m, 'p1').mapping).toBeNull();
  });
  test('first match wins; per-server mappings apply only to their server', () => {
    const m = [rule({ id: 'a', from: '/tv', to: '/media/tv', serverId: 'j1' }), rule({ id: 'b', from: '/tv', to: '/data/tv' })];
    expect(applyMappings('/tv/X', m, 'j1')).toMatchObject({ path: '/media/tv/X', mapping: { id: 'a' } });
    expect(applyMappings('/tv/X', m, 'p1')).toMatchObject({ path: '/data/tv/X', mapping: { id: 'b' } });
  });
  test('regex mappings with groups', () => {
    const m = [rule({ kind: 'regex', from: '^/mnt/(disk\\d+)/(tv|movies)/', to: '/data/$2/$1/' })];
    expect(applyMappings('/mnt/disk3/tv/Show', m, 'p1').path).toBe('/data/tv/disk3/Show');
  });
  test('a Windows *arr path maps onto a Linux server', () => {
    const m = [rule({ from: 'D:\\TV', to: '/data/tv' })];
    expect(applyMappings('D:\\TV\\Show\\Season 1', m, 'p1').path).toBe('/data/tv/Show/Season 1');
  });
  test('no match leaves the path as it is', () => {
    expect(applyMappings('/elsewhere/x', [rule({ from: '/tv', to: '/data/tv' })], 'p1')).toEqual({ path: '/elsewhere/x', mapping: null });
  });
});

describe('library resolution', () => {
  test('longest folder prefix wins (anime goes to TV Anime only)', () => {
    const [r] = resolveForServers('/data/tv/anime/Show', [plex], []);
    expect(r!.targets.map((t) => t.libraryName)).toEqual(['TV Anime']);
  });
  test('a folder inside two libraries with the same root goes to both (Plex scans per section)', () => {
    const [r] = resolveForServers('/data/tv/Show/Season 1', [plex], []);
    expect(r!.targets.map((t) => [t.libraryKey, t.path])).toEqual([['2', '/data/tv/Show/Season 1'], ['3', '/data/tv/Show/Season 1']]);
  });
  test('Jellyfin gets one Media/Updated for a folder in two libraries', () => {
    const [r] = resolveForServers('/media/tv/Show', [jelly], []);
    expect(r!.targets).toHaveLength(1);
    expect(r!.targets[0]!.libraryName).toBe('Shows, Shows 2');
  });
  test('flat movie root: a file in the root scans the root (trailing slash on the library path)', () => {
    const [r] = resolveForServers(folderOf('/data/movies/Heat.1995.mkv'), [plex], []);
    expect(r!.targets.map((t) => [t.libraryName, t.path])).toEqual([['Movies', '/data/movies']]);
  });
  test('a folder above library roots is clamped to each root inside it', () => {
    const [r] = resolveForServers('/data', [plex], []);
    expect(r!.targets.map((t) => t.path).sort()).toEqual(['/data/movies', '/data/tv', '/data/tv', '/data/tv/anime']);
  });
  test('a Windows (UNC) library matches a mapped path; the call uses backslashes', () => {
    const [r] = resolveForServers('/tv/Show', [win], [rule({ from: '/tv', to: '\\\\NAS\\media\\tv' })]);
    expect(r!.targets[0]).toMatchObject({ path: '//NAS/media/tv/Show', libraryRoot: '\\\\NAS\\media\\tv' });
  });
  test('outside every library: skipped with the reason, per server', () => {
    const out = resolveForServers('/downloads/x', [plex, jelly], []);
    expect(out.map((r) => r.targets.length)).toEqual([0, 0]);
    expect(out[0]!.skipped).toMatch(/\/downloads\/x is not inside any library folder of Plex/);
    expect(out[1]!.skipped).toMatch(/Jellyfin/);
  });
  test('/data/tvshows is not inside /data/tv', () => {
    expect(resolveForServers('/data/tvshows/x', [plex], [])[0]!.skipped).toBeDefined();
  });
});

describe('rclone dir', () => {
  test('relative to the mount root; outside it none; no root: without the leading slash', () => {
    expect(rcloneDir('/mnt/remote/tv/Show', '/mnt/remote/')).toBe('tv/Show');
    expect(rcloneDir('/mnt/remote', '/mnt/remote')).toBe('');
    expect(rcloneDir('/data/tv/Show', '/mnt/remote')).toBeNull();
    expect(rcloneDir('/data/tv/Show', null)).toBe('data/tv/Show');
  });
});
