import Link from 'next/link';
import { notFound } from 'next/navigation';
import { requirePageActor } from '@/lib/auth/current-user';
import { assertCan } from '@/lib/auth/permissions';
import { isAppError } from '@/lib/http/errors';
import { getPlay } from '@/lib/history/read';
import { PageHeader } from '@/components/ui/page-header';
import { CopyButton } from '@/components/ui/copy-button';
import { formatDuration } from '@/components/history/format';

export const dynamic = 'force-dynamic';
export const metadata = { title: 'Play' };

export default async function PlayPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requirePageActor();
  assertCan(actor, 'history:view');
  const { id } = await params;
  let play;
  try {
    play = await getPlay(actor, id);
  } catch (err) {
    if (isAppError(err) && err.code === 'not_found') notFound();
    throw err;
  }
  const detail = play.detail as { stream?: Record<string, unknown> | null; pauses?: { at: string; s: number }[]; stopReason?: string };
  const stream = detail.stream ?? {};
  const rows: [string, React.ReactNode][] = [
    ['Media user', play.mediaUser ?? '—'],
    ['Server', play.serverName],
    ['Library', play.library ?? '—'],
    ['Started', play.startedAt],
    ['Stopped', play.stoppedAt ?? 'still playing'],
    ['Watched', formatDuration(play.watchedS)],
    ['Paused', formatDuration(play.pausedS)],
    ['Progress', play.progressPct === null ? '—' : `${play.progressPct} %${play.completed ? ' (completed)' : ''}`],
    ['Stream decision', play.decision ?? '—'],
    ['Video / audio', `${String(stream.videoDecision ?? '—')} / ${String(stream.audioDecision ?? '—')}`],
    ['Resolution', `${String(stream.sourceResolution ?? '—')} → ${String(stream.streamResolution ?? '—')}${stream.hdr ? ` (${String(stream.hdr)})` : ''}`],
    ['Player', [play.player, play.platform, play.product].filter(Boolean).join(' · ') || '—'],
    ['IP address', play.ipAddress ? <span className="inline-flex items-center gap-2">{play.ipAddress}<CopyButton value={play.ipAddress} /></span> : '—'],
    ['Network', play.isLocal === null ? '—' : play.isLocal ? 'LAN' : 'WAN'],
    ['Source', play.source],
  ];
  return (
    <>
      <PageHeader title={play.grandparentTitle ? `${play.grandparentTitle} · ${play.title}` : play.title}>
        <Link href="/history" className="text-sm underline">← History</Link>
      </PageHeader>
      <dl className="grid max-w-2xl grid-cols-[10rem_1fr] gap-x-4 gap-y-2 text-sm">
        {rows.map(([k, v]) => (
          <div key={k} className="contents"><dt className="text-zinc-500">{k}</dt><dd>{v}</dd></div>
        ))}
      </dl>
      <h2 className="mb-2 mt-8 text-lg font-semibold">Pauses</h2>
      {detail.pauses?.length ? (
        <ul className="text-sm">{detail.pauses.map((p) => <li key={p.at}>{p.at.replace('T', ' ').slice(0, 19)} — {formatDuration(p.s)}</li>)}</ul>
      ) : (
        <p className="text-sm text-zinc-500">No pauses recorded.</p>
      )}
    </>
  );
}
