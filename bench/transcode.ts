// npm run bench:transcode [-- --seconds 60]
// Wall time of Marquee's ladder job (buildHls: probe + one fluent-ffmpeg process for every rung,
// poster and storyboard + playlists) beside (a) the same FFmpeg command spawned directly and
// (b) one FFmpeg process per rung (plus one for poster + storyboard), run one after another.
// Goal: Marquee ≤ 1.05 × (a), and (a) clearly faster than (b).
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildLadderCommand, keyInfo, ladderArgs, planLadder, planStoryboard, type Rung } from '../lib/videos/ladder';
import { ffmpegPath } from '../lib/videos/paths';
import { probe } from '../lib/videos/probe';
import { buildHls } from '../lib/videos/build-hls';

const argSeconds = process.argv.indexOf('--seconds');
const SECONDS = argSeconds > 0 ? Number(process.argv[argSeconds + 1]) : 60;
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'marquee-bench-'));
const src = path.join(root, 'src.mp4');

function run(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const p = spawn(ffmpegPath(), args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    p.stderr.on('data', (d) => (err = (err + d).slice(-2000)));
    p.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`ffmpeg exited ${code}: ${err}`))));
  });
}

function keyFiles(dir: string, rungs: Rung[]): string[] {
  fs.mkdirSync(dir, { recursive: true });
  return rungs.map((r) => {
    fs.writeFileSync(path.join(dir, `${r.name}.key`), randomBytes(16));
    const f = path.join(dir, `${r.name}.keyinfo`);
    fs.writeFileSync(f, keyInfo('key', path.join(dir, `${r.name}.key`), randomBytes(16).toString('hex')));
    return f;
  });
}

async function time(fn: () => Promise<unknown>): Promise<number> {
  const t = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t) / 1e9;
}

async function main() {
  console.log(`generating a ${SECONDS} s 1080p30 test clip (lavfi testsrc2 + sine) …`);
  execFileSync(ffmpegPath(), [
    '-v', 'error', '-y', '-f', 'lavfi', '-i', `testsrc2=size=1920x1080:rate=30:duration=${SECONDS}`,
    '-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=48000:duration=${SECONDS}`,
    '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '20', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest', src,
  ]);
  const info = await probe(src);
  const rungs = planLadder(info);
  const sb = planStoryboard(info.durationS, info);
  const poster = (dir: string) => ({ path: path.join(dir, 'poster.jpg'), atS: Math.min(info.durationS * 0.1, 5), width: 1280, height: 720 });
  const prep = (dir: string, rs: Rung[]) => rs.forEach((r) => fs.mkdirSync(path.join(dir, r.name), { recursive: true }));

  // Marquee's job (fluent-ffmpeg runner, probe, playlists, bandwidth measurement).
  const marquee = await time(() => buildHls({ sourcePath: src, workDir: path.join(root, 'marquee') }));

  // (a) The same command, spawned directly.
  const aDir = path.join(root, 'direct');
  prep(aDir, rungs);
  const aCmd = buildLadderCommand({
    input: src, outDir: aDir, rungs, hasAudio: info.hasAudio, keyInfoFiles: keyFiles(path.join(root, 'keys-a'), rungs), fps: info.fps,
    poster: poster(aDir), storyboard: { path: path.join(aDir, 'storyboard.jpg'), plan: sb },
  });
  const direct = await time(() => run(ladderArgs(aCmd)));

  // (b) One process per rung, then one for poster + storyboard.
  const bDir = path.join(root, 'per-rung');
  prep(bDir, rungs);
  const bKeys = keyFiles(path.join(root, 'keys-b'), rungs);
  const perRung = await time(async () => {
    for (const [i, r] of rungs.entries()) {
      await run(ladderArgs(buildLadderCommand({ input: src, outDir: bDir, rungs: [r], hasAudio: info.hasAudio, keyInfoFiles: [bKeys[i]!], fps: info.fps })));
    }
    await run([
      '-hide_banner', '-nostdin', '-y', '-i', src, '-filter_complex',
      `[0:v:0]split=2[a][b];[a]trim=start=${poster(bDir).atS},setpts=PTS-STARTPTS,scale=1280:720[p];[b]fps=1/${sb.interval},scale=${sb.tileW}:${sb.tileH},tile=${sb.cols}x${sb.rows}[s]`,
      '-map', '[p]', '-frames:v', '1', path.join(bDir, 'poster.jpg'), '-map', '[s]', '-frames:v', '1', path.join(bDir, 'storyboard.jpg'),
    ]);
  });

  const f = (s: number) => `${s.toFixed(1)} s`.padStart(9);
  const speed = (s: number) => `${(info.durationS / s).toFixed(2)}×`.padStart(7);
  console.log(`\nclip: ${info.durationS.toFixed(1)} s ${info.width}x${info.height}, rungs ${rungs.map((r) => r.height).join('/')}, ${os.cpus().length} cores`);
  console.log('                                     wall    speed');
  console.log(`Marquee ladder job (fluent-ffmpeg) ${f(marquee)} ${speed(marquee)}`);
  console.log(`(a) same FFmpeg command, direct    ${f(direct)} ${speed(direct)}`);
  console.log(`(b) one FFmpeg process per rung    ${f(perRung)} ${speed(perRung)}`);
  const ratio = marquee / direct;
  console.log(`\nMarquee / (a) = ${ratio.toFixed(3)} (goal ≤ 1.05: ${ratio <= 1.05 ? 'met' : 'NOT met'})`);
  console.log(`(b) / (a)     = ${(perRung / direct).toFixed(3)} (goal: clearly > 1: ${perRung / direct > 1.05 ? 'met' : 'NOT met'})`);
  fs.rmSync(root, { recursive: true, force: true });
}

main().catch((err) => {
  console.error(err);
  fs.rmSync(root, { recursive: true, force: true });
  process.exit(1);
});
