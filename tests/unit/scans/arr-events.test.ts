// Every Sonarr/Radarr/Lidarr fixture (real captures and source-built shapes) → the folders to scan
// or the right "ignored"/"test".
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { parseArrEvent } from '../../../lib/scans/arr-events';

const load = (dir: string, name: string) => JSON.parse(readFileSync(join(process.cwd(), 'tests/fixtures', dir, name), 'utf8')) as unknown;
const scanOf = (dir: string, name: string) => parseArrEvent(load(dir, name));

describe('Sonarr', () => {
  test('Download (episodeFile shape): the season folder inside the series folder, not the download folder', () => {
    expect(scanOf('sonarr', 'download.json')).toEqual({ kind: 'scan', eventType: 'Download', folders: ['/volume2/Media/TV Series/Avatar - The Last Airbender/Season 2'] });
  });
  test('Download on import complete (episodeFiles[] shape, no isUpgrade)', () => {
    expect(scanOf('sonarr', 'download_import_complete.json')).toEqual({ kind: 'scan', eventType: 'Download', folders: ['/volume2/Media/TV Series/Your Honor/Season 2'] });
  });
  test('upgrade: the new file’s folder and the deleted files’ folder when it differs', () => {
    expect(scanOf('sonarr', 'download_upgrade.json')).toEqual({
      kind: 'scan',
      eventType: 'Download',
      folders: ['/volume2/Media/TV Series/House of the Dragon/Season 1', '/volume2/Media/TV Series/House of the Dragon'],
    });
  });
  test('three files of one season in the import-complete shape give one folder', () => {
    const body = load('sonarr', 'download_import_complete.json') as { episodeFiles: { relativePath: string }[] };
    const first = body.episodeFiles[0]!;
    body.episodeFiles = [1, 2, 3].map((n) => ({ ...first, relativePath: `Season 2/Your.Honor.S02E0${n}.mkv` }));
    expect(parseArrEvent(body)).toEqual({ kind: 'scan', eventType: 'Download', folders: ['/volume2/Media/TV Series/Your Honor/Season 2'] });
  });
  test('Rename scans the new and the previous folders', () => {
    expect(scanOf('sonarr', 'rename_autoscan_subset.json')).toEqual({
      kind: 'scan',
      eventType: 'Rename',
      folders: ['/TV/Westworld [imdb:tt0475784]/Season 1', '/TV/Westworld/Season 1', '/TV/Westworld [imdb:tt0475784]/Season 2', '/TV/Westworld/Season 2'],
    });
  });
  test('EpisodeFileDelete scans the folder the file was in', () => {
    expect(scanOf('sonarr', 'episode_file_delete.json')).toEqual({ kind: 'scan', eventType: 'EpisodeFileDelete', folders: ['/volume2/Media/TV Series/The New Pope'] });
  });
  test('SeriesDelete (deletedFiles is a boolean here) scans the series folder', () => {
    expect(scanOf('sonarr', 'series_delete.json')).toEqual({ kind: 'scan', eventType: 'SeriesDelete', folders: ['/volume2/Media/TV Series/Mountain Monsters'] });
  });
  test('Test events (full and subset) are tests', () => {
    expect(scanOf('sonarr', 'test_SYNTHESIZED.json').kind).toBe('test');
    expect(scanOf('sonarr', 'test_autoscan_subset.json').kind).toBe('test');
  });
  test('Grab and ManualInteractionRequired are ignored', () => {
    expect(scanOf('sonarr', 'grab_SYNTHESIZED.json')).toEqual({ kind: 'ignored', eventType: 'Grab' });
    expect(scanOf('sonarr', 'manual_interaction_required.json')).toEqual({ kind: 'ignored', eventType: 'ManualInteractionRequired' });
  });
  test('a Windows Sonarr: backslash paths become one folder', () => {
    const body = { eventType: 'Download', series: { path: 'D:\\TV\\Show' }, episodeFile: { relativePath: 'Season 1\\Show.S01E01.mkv', path: 'E:\\dl\\Show.S01E01.mkv' } };
    expect(parseArrEvent(body)).toEqual({ kind: 'scan', eventType: 'Download', folders: ['D:/TV/Show/Season 1'] });
  });
});

describe('Radarr', () => {
  test('Download: the movie folder (not the download folder)', () => {
    expect(scanOf('radarr', 'download.json')).toEqual({ kind: 'scan', eventType: 'Download', folders: ['/volume2/Media/Movies/Spirited Away (2001)'] });
  });
  test('Rename (subset without renamed files) scans the movie folder', () => {
    expect(scanOf('radarr', 'rename_autoscan_subset.json')).toEqual({ kind: 'scan', eventType: 'Rename', folders: ['/Movies/Deadpool (2016)'] });
  });
  test('MovieFileDelete and MovieDelete scan the movie folder', () => {
    expect(scanOf('radarr', 'movie_file_delete.json')).toEqual({ kind: 'scan', eventType: 'MovieFileDelete', folders: ['/volume2/Media/Movies/Upside-Down Magic (2020)'] });
    expect(scanOf('radarr', 'movie_delete.json')).toEqual({ kind: 'scan', eventType: 'MovieDelete', folders: ['/volume2/Media/Movies/I Am Legend 2 ()'] });
  });
  test.each(['grab.json', 'health.json', 'health_restored.json', 'application_update.json', 'movie_added.json'])('%s is ignored', (name) => {
    const out = scanOf('radarr', name);
    expect(out.kind).toBe('ignored');
    expect(out.eventType).toBe((load('radarr', name) as { eventType: string }).eventType);
  });
  test('Test', () => expect(scanOf('radarr', 'test.json').kind).toBe('test'));
});

describe('Lidarr', () => {
  test('Download: each disc folder once', () => {
    expect(scanOf('lidarr', 'download_autoscan_subset.json')).toEqual({
      kind: 'scan',
      eventType: 'Download',
      folders: ['/Music/blink‐182/California (2016)/CD 01', '/Music/blink‐182/California (2016)/CD 02'],
    });
  });
  test('Retag scans the track’s folder', () => {
    expect(scanOf('lidarr', 'retag_SYNTHESIZED.json')).toEqual({ kind: 'scan', eventType: 'Retag', folders: ['/Music/blink-182/California (2016)/CD 01'] });
  });
  test('ArtistDelete and AlbumDelete scan the artist folder', () => {
    expect(scanOf('lidarr', 'artist_delete_SYNTHESIZED.json')).toEqual({ kind: 'scan', eventType: 'ArtistDelete', folders: ['/Music/blink-182'] });
    expect(scanOf('lidarr', 'album_delete_SYNTHESIZED.json')).toEqual({ kind: 'scan', eventType: 'AlbumDelete', folders: ['/Music/blink-182'] });
  });
  test('Grab ignored; Test (both shapes) a test', () => {
    expect(scanOf('lidarr', 'grab_SYNTHESIZED.json')).toEqual({ kind: 'ignored', eventType: 'Grab' });
    expect(scanOf('lidarr', 'test_SYNTHESIZED.json').kind).toBe('test');
    expect(scanOf('lidarr', 'test_autoscan_subset.json').kind).toBe('test');
  });
});

describe('unknown input', () => {
  test('an unknown event, a body without eventType or a non-object is ignored, never an error', () => {
    expect(parseArrEvent({ eventType: 'SomethingNew', series: { path: '/tv/x' } })).toEqual({ kind: 'ignored', eventType: 'SomethingNew' });
    expect(parseArrEvent({ hello: 1 })).toEqual({ kind: 'ignored', eventType: 'unknown' });
    expect(parseArrEvent([1, 2])).toEqual({ kind: 'ignored', eventType: 'unknown' });
  });
});

describe('Readarr (no public capture: shapes from Readarr’s WebhookBase/WebhookBookFile)', () => {
  test('Download: each book file’s folder; BookFileDelete: the file’s folder; AuthorDelete: the author folder', () => {
    const author = { id: 1, name: 'Ursula K. Le Guin', path: '/books/Ursula K. Le Guin' };
    expect(parseArrEvent({ eventType: 'Download', author, bookFiles: [{ path: '/books/Ursula K. Le Guin/A Wizard of Earthsea (1968)/A Wizard of Earthsea.epub' }], isUpgrade: false })).toEqual({
      kind: 'scan',
      eventType: 'Download',
      folders: ['/books/Ursula K. Le Guin/A Wizard of Earthsea (1968)'],
    });
    expect(parseArrEvent({ eventType: 'BookFileDelete', author, bookFile: { path: '/books/Ursula K. Le Guin/The Dispossessed (1974)/The Dispossessed.epub' } })).toEqual({
      kind: 'scan',
      eventType: 'BookFileDelete',
      folders: ['/books/Ursula K. Le Guin/The Dispossessed (1974)'],
    });
    expect(parseArrEvent({ eventType: 'AuthorDelete', author, deletedFiles: true })).toEqual({ kind: 'scan', eventType: 'AuthorDelete', folders: ['/books/Ursula K. Le Guin'] });
  });
});
