'use client';
// In-app player: hls.js with a quality menu (auto + each rung), resume from the saved position,
// progress saved every 5 s and on leave, storyboard previews over the seek bar, and keyboard
// shortcuts (space play/pause, ←/→ seek 5 s, f fullscreen, m mute).
import Hls from 'hls.js';
import { useEffect, useId, useRef, useState } from 'react';
import { formatDuration } from './format';
import { callApi } from '@/components/ui/api';

interface Cue {
  start: number;
  end: number;
  url: string;
  x: number;
  y: number;
  w: number;
  h: number;
}

function parseVtt(text: string, base: string): Cue[] {
  const cues: Cue[] = [];
  const blocks = text.split(/\n\n+/);
  const t = (s: string) => s.split(':').reduce((acc, p) => acc * 60 + Number(p), 0);
  for (const b of blocks) {
    const m = /([\d:.]+)\s+-->\s+([\d:.]+)\s*\n(.+)/.exec(b.trim());
    if (!m) continue;
    const [file, frag] = m[3]!.trim().split('#xywh=');
    if (!frag) continue;
    const [x, y, w, h] = frag.split(',').map(Number) as [number, number, number, number];
    cues.push({ start: t(m[1]!), end: t(m[2]!), url: new URL(file!, base).toString(), x, y, w, h });
  }
  return cues;
}

export function VideoPlayer({
  videoId,
  src,
  storyboardUrl,
  startAt,
  durationS,
  live = false,
}: {
  videoId: string;
  src: string;
  storyboardUrl: string | null;
  startAt: number | null;
  durationS: number | null;
  /** The video is still transcoding: src is its growing stream, played from the start. */
  live?: boolean;
}) {
  const ref = useRef<HTMLVideoElement>(null);
  const qualityId = useId();
  const wrap = useRef<HTMLDivElement>(null);
  const hlsRef = useRef<Hls | null>(null);
  const [levels, setLevels] = useState<{ index: number; height: number }[]>([]);
  const [level, setLevel] = useState(-1);
  const [time, setTime] = useState(0);
  const [duration, setDuration] = useState(durationS ?? 0);
  const [cues, setCues] = useState<Cue[]>([]);
  const [hover, setHover] = useState<{ x: number; t: number } | null>(null);
  const [error, setError] = useState<string | null>(null);

  // Read when the stream is set up, not dependencies: the page refreshes while a video transcodes
  // (its saved position and status change) and the player must keep playing through that, and
  // through the switch from the growing stream to the finished one (same URL, new playlists).
  const setup = useRef({ startAt, durationS, live });

  // hls.js setup and resume.
  useEffect(() => {
    const video = ref.current!;
    const { startAt, durationS, live } = setup.current;
    let resumed = false;
    const resume = () => {
      if (resumed) return;
      resumed = true;
      if (startAt && startAt > 1 && (!durationS || startAt < durationS - 2)) video.currentTime = startAt;
    };
    if (Hls.isSupported()) {
      // A growing stream starts at the beginning (hls.js would join a live stream near its end).
      const hls = new Hls({ startPosition: startAt && startAt > 1 ? startAt : live ? 0 : -1 });
      hlsRef.current = hls;
      hls.on(Hls.Events.MANIFEST_PARSED, (_e, data) => {
        setLevels(data.levels.map((l, index) => ({ index, height: l.height })).sort((a, b) => b.height - a.height));
        resumed = true;
      });
      hls.on(Hls.Events.ERROR, (_e, data) => {
        if (data.fatal) setError(`Playback error: ${data.details}`);
      });
      hls.loadSource(src);
      hls.attachMedia(video);
      return () => hls.destroy();
    }
    video.src = src; // native HLS (Safari)
    video.addEventListener('loadedmetadata', resume, { once: true });
    return () => video.removeEventListener('loadedmetadata', resume);
  }, [src]);

  // Progress: every 5 s while playing, on pause, and when leaving the page.
  useEffect(() => {
    const video = ref.current!;
    let last = -1;
    // One id per playback: the server groups this player's reports into one view for the stats.
    const viewId = Array.from(crypto.getRandomValues(new Uint8Array(12)), (b) => b.toString(16).padStart(2, '0')).join('');
    // The timer skips a save when the second has not changed; a pause or leaving always saves (a
    // pause within the second of a timer save must still store where the viewer stopped).
    const save = (keepalive = false, always = false) => {
      const pos = Math.floor(video.currentTime);
      if (pos === last && !always) return;
      last = pos;
      // Best effort: a missed save only costs a few seconds of resume position.
      callApi(`/api/videos/${videoId}/progress`, { method: 'PUT', body: { positionS: video.currentTime, viewId }, keepalive }).catch(() => {});
    };
    const timer = setInterval(() => {
      if (!video.paused) save();
    }, 5000);
    const onPause = () => save(false, true);
    // The first report marks where this view starts (the stats count from there).
    const onPlaying = () => save(false, true);
    video.addEventListener('playing', onPlaying, { once: true });
    const onLeave = () => save(true, true);
    const onVis = () => document.visibilityState === 'hidden' && save(true, true);
    video.addEventListener('pause', onPause);
    window.addEventListener('pagehide', onLeave);
    document.addEventListener('visibilitychange', onVis);
    return () => {
      clearInterval(timer);
      save(true);
      video.removeEventListener('pause', onPause);
      video.removeEventListener('playing', onPlaying);
      window.removeEventListener('pagehide', onLeave);
      document.removeEventListener('visibilitychange', onVis);
    };
  }, [videoId]);

  // Storyboard cues.
  useEffect(() => {
    if (!storyboardUrl) return;
    const url = new URL(storyboardUrl, window.location.href).toString();
    fetch(url)
      .then((r) => (r.ok ? r.text() : ''))
      .then((t) => setCues(parseVtt(t, url)))
      .catch(() => {});
  }, [storyboardUrl]);

  // Keyboard shortcuts (ignored while typing in a field).
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const el = e.target as HTMLElement;
      if (el.closest('input, textarea, select, [contenteditable="true"]')) return;
      const video = ref.current!;
      if (e.key === ' ' || e.key === 'k') {
        e.preventDefault();
        if (video.paused) void video.play();
        else video.pause();
      } else if (e.key === 'ArrowLeft') {
        e.preventDefault();
        video.currentTime = Math.max(0, video.currentTime - 5);
      } else if (e.key === 'ArrowRight') {
        e.preventDefault();
        video.currentTime = Math.min(video.duration || Infinity, video.currentTime + 5);
      } else if (e.key === 'f') {
        if (document.fullscreenElement) void document.exitFullscreen();
        else void wrap.current?.requestFullscreen();
      } else if (e.key === 'm') {
        video.muted = !video.muted;
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const chooseLevel = (v: number) => {
    setLevel(v);
    if (hlsRef.current) hlsRef.current.currentLevel = v;
  };
  const cue = hover ? cues.find((c) => hover.t >= c.start && hover.t < c.end) : undefined;

  return (
    <div className="space-y-2">
      <div ref={wrap} className="relative overflow-hidden rounded-xl bg-black">
        <video
          ref={ref}
          className="aspect-video w-full"
          controls
          playsInline
          data-testid="player"
          onTimeUpdate={(e) => setTime(e.currentTarget.currentTime)}
          onDurationChange={(e) => Number.isFinite(e.currentTarget.duration) && setDuration(e.currentTarget.duration)}
        />
      </div>
      {error ? (
        <p role="alert" className="text-sm text-red-600 dark:text-red-400">
          {error}
        </p>
      ) : null}
      <div className="relative">
        {cue && hover ? (
          <div className="pointer-events-none absolute bottom-6 -translate-x-1/2 rounded border border-zinc-700 bg-black p-0.5 text-center text-xs text-white" style={{ left: hover.x }} data-testid="storyboard-preview">
            <div style={{ width: cue.w, height: cue.h, backgroundImage: `url("${cue.url}")`, backgroundPosition: `-${cue.x}px -${cue.y}px` }} />
            {formatDuration(hover.t)}
          </div>
        ) : null}
        <input
          type="range"
          aria-label="Seek"
          min={0}
          max={duration || 0}
          step={0.1}
          value={Math.min(time, duration || 0)}
          onChange={(e) => {
            if (ref.current) ref.current.currentTime = Number(e.target.value);
          }}
          onMouseMove={(e) => {
            const r = e.currentTarget.getBoundingClientRect();
            const f = Math.min(1, Math.max(0, (e.clientX - r.left) / r.width));
            setHover({ x: e.clientX - r.left, t: f * (duration || 0) });
          }}
          onMouseLeave={() => setHover(null)}
          className="w-full accent-indigo-600"
        />
      </div>
      <div className="flex flex-wrap items-center justify-between gap-2 text-sm">
        <span className="tabular-nums text-zinc-600 dark:text-zinc-400" data-testid="time">
          {formatDuration(time)} / {formatDuration(duration)}
        </span>
        {/* Labelled by id: a <label> around the select would pull its options into the name. */}
        <div className="flex items-center gap-2">
          <label htmlFor={qualityId}>Quality</label>
          <select
            id={qualityId}
            value={level}
            onChange={(e) => chooseLevel(Number(e.target.value))}
            className="rounded-md border border-zinc-300 bg-white px-2 py-1 dark:border-zinc-700 dark:bg-zinc-900"
            data-testid="quality"
          >
            <option value={-1}>Auto</option>
            {levels.map((l) => (
              <option key={l.index} value={l.index}>
                {l.height}p
              </option>
            ))}
          </select>
        </div>
        <span className="text-xs text-zinc-500">Keys: space play/pause · ←/→ 5 s · f fullscreen · m mute</span>
      </div>
    </div>
  );
}
