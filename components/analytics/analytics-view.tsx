'use client';
// The /analytics screen. The page renders the first report on the server; switching the range or
// the server updates the URL in place (so the view can be shared, and back/forward work) and
// fetches GET /api/analytics from here, which keeps switching quick. Reports already seen are kept,
// so going back shows them at once.
import Link from 'next/link';
import { useSearchParams } from 'next/navigation';
import { useCallback, useEffect, useRef, useState } from 'react';
import { callApi, errorMessage } from '@/components/ui/api';
import { EmptyState } from '@/components/ui/empty-state';
import { Breakdowns, ConcurrentChart, HourHeatmap, PlaysPerDayChart } from './analytics-charts';
import { formatRangeSpan } from './format';
import { analyticsApiPath, analyticsHref, parseAnalyticsParams, type AnalyticsParams } from './query';
import { AnalyticsFilters } from './range-picker';
import { SummaryCards } from './summary-cards';
import { EXPANDED_ROWS, TopLists } from './top-lists';
import type { AnalyticsReport, TopKey, TopRow } from './types';

type Loaded = { path: string; report: AnalyticsReport };

export function AnalyticsView({
  initial,
  servers,
  canImport,
}: {
  /** The report the page rendered, and the API path it answers. */
  initial: Loaded | null;
  servers: readonly { id: string; name: string }[];
  canImport: boolean;
}) {
  const searchParams = useSearchParams();
  const params = parseAnalyticsParams(new URLSearchParams(searchParams.toString()));
  const path = analyticsApiPath(params);

  const cache = useRef(new Map<string, AnalyticsReport>(initial ? [[initial.path, initial.report]] : []));
  const [shown, setShown] = useState<Loaded | null>(initial);
  // An error belongs to the request it answered: switching filters clears it.
  const [failed, setFailed] = useState<{ path: string; message: string } | null>(null);
  const [expanded, setExpanded] = useState<TopKey | null>(null);
  const [expandedReport, setExpandedReport] = useState<Loaded | null>(null);
  const [expandedFailed, setExpandedFailed] = useState<{ path: string; message: string } | null>(null);

  useEffect(() => {
    const hit = cache.current.get(path);
    if (hit) {
      setShown({ path, report: hit });
      return;
    }
    const ctl = new AbortController();
    callApi<AnalyticsReport>(path, { signal: ctl.signal })
      .then((report) => {
        cache.current.set(path, report);
        setShown({ path, report });
      })
      .catch((err: unknown) => {
        if (!ctl.signal.aborted) setFailed({ path, message: errorMessage(err) });
      });
    return () => ctl.abort();
  }, [path]);

  // The expanded list asks for the same report with 100 rows per list.
  const expandedPath = expanded ? analyticsApiPath(params, EXPANDED_ROWS) : null;
  useEffect(() => {
    if (!expanded || !expandedPath) return;
    const hit = cache.current.get(expandedPath);
    if (hit) {
      setExpandedReport({ path: expandedPath, report: hit });
      return;
    }
    const ctl = new AbortController();
    callApi<AnalyticsReport>(expandedPath, { signal: ctl.signal })
      .then((report) => {
        cache.current.set(expandedPath, report);
        setExpandedReport({ path: expandedPath, report });
      })
      .catch((err: unknown) => {
        if (!ctl.signal.aborted) setExpandedFailed({ path: expandedPath, message: errorMessage(err) });
      });
    return () => ctl.abort();
  }, [expanded, expandedPath]);

  const navigate = useCallback((next: AnalyticsParams) => {
    // Next.js keeps useSearchParams in step with the History API, without a server round trip.
    window.history.pushState(null, '', analyticsHref(next));
  }, []);

  const error = failed?.path === path ? failed.message : null;
  const loading = shown?.path !== path && !error;
  const report = shown?.report ?? null;
  // Links follow the report on screen (while the next one loads, it is still the previous one).
  const shownServerId = shown ? (new URL(shown.path, 'http://x').searchParams.get('serverId') ?? undefined) : undefined;
  const scope = report ? { from: report.range.from, to: report.range.to, serverId: shownServerId } : null;
  const current: TopRow[] | null = expanded && expandedReport?.path === expandedPath ? (expandedReport.report.top[expanded] ?? []) : null;
  const expandedError = expandedFailed && expandedFailed.path === expandedPath ? expandedFailed.message : null;

  return (
    <div>
      <AnalyticsFilters params={params} servers={servers} onChange={navigate} />
      <p className="mb-4 text-sm text-zinc-600 dark:text-zinc-400" data-testid="analytics-range">
        {report ? (
          <>
            {formatRangeSpan(report.range)} · times in <strong className="font-medium">{report.range.timezone}</strong>
          </>
        ) : (
          ' '
        )}
        <span role="status" className="ml-2">
          {loading ? 'Loading…' : ''}
        </span>
      </p>
      {error ? (
        <p role="alert" className="mb-4 rounded-md border border-red-300 p-3 text-sm text-red-700 dark:border-red-800 dark:text-red-400">
          Could not load analytics: {error}
        </p>
      ) : null}
      {report && scope ? (
        <div aria-busy={loading || undefined} className={`space-y-4 transition-opacity ${loading ? 'opacity-60' : ''}`}>
          {report.summary.plays === 0 ? (
            <EmptyState title="No plays in this range">
              <p>
                Try a longer range{params.serverId ? ' or all servers' : ''}. Plays appear once someone watches something on a connected server: see{' '}
                <Link href="/history" className="underline">
                  History
                </Link>
                {canImport ? (
                  <>
                    , where an admin can also import past plays from Tautulli
                  </>
                ) : null}
                .
              </p>
            </EmptyState>
          ) : (
            <>
              <SummaryCards summary={report.summary} />
              <PlaysPerDayChart days={report.playsPerDay} timezone={report.range.timezone} serverId={shownServerId} />
              <div className="grid gap-4 xl:grid-cols-2">
                <HourHeatmap cells={report.hourByWeekday} timezone={report.range.timezone} />
                <ConcurrentChart days={report.concurrent} />
              </div>
              <section aria-labelledby="top-lists-h">
                <h2 id="top-lists-h" className="mb-2 text-lg font-semibold">
                  Top lists
                </h2>
                {expandedError ? (
                  <p role="alert" className="mb-2 text-sm text-red-600 dark:text-red-400">
                    Could not load the longer list: {expandedError}
                  </p>
                ) : null}
                <TopLists
                  top={report.top}
                  scope={scope}
                  expanded={expanded}
                  expandedRows={current}
                  expandedLoading={expanded !== null && current === null && !expandedError}
                  onExpand={setExpanded}
                />
              </section>
              <Breakdowns decisions={report.decisions} resolutions={report.resolutions} scope={scope} />
            </>
          )}
        </div>
      ) : !error ? (
        <p className="py-10 text-center text-sm text-zinc-500">Loading analytics…</p>
      ) : null}
    </div>
  );
}
