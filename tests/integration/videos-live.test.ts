// Watching while it transcodes, over real HTTP with real FFmpeg: GET /api/videos/{id} gives a
// playbackUrl while the video is still processing, the master playlist and each rung's growing
// EVENT playlist are served with that rung's key, and the switch to the final VOD playlists is
// atomic (every response is a complete EVENT playlist without an end, or the final VOD one with it).
import { createDecipheriv } from 'node:crypto';
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authHeaders, createUser, type TestUser } from '../helpers/auth';
import { db } from '@/lib/db';
import { publishedDir, workRoot } from '@/lib/videos/paths';
import { transcodeVideo } from '@/lib/videos/transcode-video';
import * as videoRoute from '@/app/api/videos/[id]/route';
import * as hlsRoute from '@/app/api/videos/[id]/hls/[...path]/route';
import { firstSegmentOf, isTransportStream, mediaDir, startVideoApiServer, ingestGeneratedClip } from './videos-helpers';
import { waitFor } from '../helpers/wait';

let uploader: TestUser;
let viewer: TestUser;
let server: Awaited<ReturnType<typeof startVideoApiServer>>;

beforeAll(async () => {
  uploader = await createUser({ role: 'uploader' });
  viewer = await createUser({ role: 'viewer' });
  server = await startVideoApiServer({ video: videoRoute.GET as never, hls: hlsRoute.GET as never });
});
afterAll(async () => {
  await server?.close();
  fs.rmSync(mediaDir, { recursive: true, force: true });
});

async function get(url: string, headers: Record<string, string> = {}) {
  const res = await fetch(url, { headers });
  return { status: res.status, body: Buffer.from(await res.arrayBuffer()) };
}

function decrypt(data: Buffer, key: Buffer, iv: Buffer): Buffer {
  const d = createDecipheriv('aes-128-cbc', key, iv);
  return Buffer.concat([d.update(data), d.final()]);
}

const opens = (segment: Buffer, key: Buffer, iv: Buffer) => {
  try {
    return isTransportStream(decrypt(segment, key, iv));
  } catch {
    return false; // wrong key: bad padding
  }
};

/** Fetches a rung's playlist, its key and its first segment, and decrypts the segment. */
async function readFirstSegment(variantUrl: string) {
  const playlist = (await get(variantUrl)).body.toString('utf8');
  const first = firstSegmentOf(playlist, variantUrl);
  const key = await get(first.keyUrl);
  const seg = await get(first.segmentUrl);
  expect(key.status).toBe(200);
  expect(key.body).toHaveLength(16);
  expect(seg.status).toBe(200);
  return { playlist, first, key: key.body, segment: seg.body };
}

describe('watch while it transcodes', () => {
  it('serves the growing stream with per-rung keys, then switches atomically to the final VOD playlists', { timeout: 600_000 }, async () => {
    // 60 s at 720p: three rungs (720/480/360), long enough to be watched while it is made.
    const { id, cookie } = await ingestGeneratedClip(uploader, 'live', { seconds: 60, size: '1280x720' }, 'Live');

    const job = transcodeVideo(id, { preset: 'veryfast' });
    let jobDone = false;
    void job.finally(() => (jobDone = true)).catch(() => {});

    // playbackUrl appears while the video is still processing.
    const view = await waitFor(
      'playbackUrl while processing',
      async () => {
        const r = await get(`${server.origin}/api/videos/${id}`, cookie);
        const v = JSON.parse(r.body.toString('utf8')) as { status: string; progress: number; playbackUrl: string | null; live: boolean; renditions: { height: number }[] };
        if (v.status === 'ready') throw new Error('the job finished before its stream was served');
        return v.playbackUrl ? v : null;
      },
      300_000,
    );
    expect(view.status).toBe('processing');
    expect(view.progress).toBeLessThan(100);
    expect(view.live).toBe(true);
    expect(view.renditions.map((r) => r.height)).toEqual([720, 480, 360]);
    expect(jobDone).toBe(false);

    const masterUrl = new URL(view.playbackUrl!, server.origin).toString();
    const master = await get(masterUrl);
    expect(master.status).toBe(200);
    const variants = master.body
      .toString('utf8')
      .split('\n')
      .filter((l) => l && !l.startsWith('#'))
      .map((l) => new URL(l, masterUrl).toString());
    expect(variants).toHaveLength(3);

    const keys: Buffer[] = [];
    const segments: Buffer[] = [];
    const ivs: Buffer[] = [];
    const liveSegmentUrls: string[] = [];
    for (const url of variants) {
      const { playlist, first, key, segment } = await readFirstSegment(url);
      expect(playlist).toContain('#EXT-X-PLAYLIST-TYPE:EVENT');
      expect(playlist).not.toContain('#EXT-X-ENDLIST');
      // Every URI is an authorized route carrying the playback token (no cookie is sent here).
      expect(first.keyUrl).toMatch(/\/hls\/v\d\/key\?a=.+&t=/);
      expect(first.segmentUrl).toMatch(/\/hls\/v\d\/seg_000\.ts\?a=.+&t=/);
      expect(isTransportStream(segment)).toBe(false);
      expect(isTransportStream(decrypt(segment, key, first.iv))).toBe(true);
      keys.push(key);
      ivs.push(first.iv);
      segments.push(segment);
      liveSegmentUrls.push(first.segmentUrl);
    }
    // One key per rung: another rung's key does not open this rung's segment.
    expect(new Set(keys.map((k) => k.toString('hex'))).size).toBe(3);
    expect(opens(segments[0]!, keys[1]!, ivs[0]!)).toBe(false);
    expect(opens(segments[0]!, keys[0]!, ivs[0]!)).toBe(true);

    // Nothing final exists while the job runs; the growing stream is not shown to a stranger.
    expect(fs.existsSync(publishedDir(id))).toBe(false);
    const stranger = await get(`${server.origin}/api/videos/${id}/hls/master.m3u8`, await authHeaders(viewer));
    expect(stranger.status).toBe(403);

    // Follow the switch: every playlist read is either the growing one or the final one, whole.
    const seen = new Set<string>();
    while (!jobDone) {
      const r = await get(variants[0]!);
      expect(r.status).toBe(200);
      const text = r.body.toString('utf8');
      const type = /#EXT-X-PLAYLIST-TYPE:(\w+)/.exec(text)?.[1];
      const ended = text.includes('#EXT-X-ENDLIST');
      expect(type === 'EVENT' ? !ended : type === 'VOD' && ended).toBe(true);
      seen.add(type!);
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(await job).toBe('ready');
    expect(seen.has('EVENT')).toBe(true);

    const final = await get(variants[0]!);
    const finalText = final.body.toString('utf8');
    expect(finalText).toContain('#EXT-X-PLAYLIST-TYPE:VOD');
    expect(finalText).toContain('#EXT-X-ENDLIST');
    const finalDetails = await db.video.findUniqueOrThrow({ where: { id } });
    expect(finalDetails.status).toBe('ready');
    expect(finalDetails.liveAttempt).toBeNull();

    // A player that was following the growing stream keeps reading: its segment URLs still answer
    // with the same bytes, and the final key (same rung, same attempt) opens them.
    for (let i = 0; i < 3; i++) {
      const again = await get(liveSegmentUrls[i]!);
      expect(again.status).toBe(200);
      expect(again.body.equals(segments[i]!)).toBe(true);
      const { first, key } = await readFirstSegment(variants[i]!);
      expect(key.equals(keys[i]!)).toBe(true);
      expect(isTransportStream(decrypt(again.body, key, first.iv))).toBe(true);
    }
    // The staging area is gone once published.
    expect(fs.existsSync(workRoot()) ? fs.readdirSync(workRoot()).filter((n) => n.startsWith(id)) : []).toEqual([]);
  });
});
