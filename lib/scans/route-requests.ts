// The worker's intake: received requests (rows with routedAt = null) become one waiting scan per
// target library and folder. A request for a folder that already has a waiting scan on that target
// merges into it (requestCount + 1) and, while it is still queued, restarts its debounce window.
import { randomUUID } from 'node:crypto';
import { db } from '../db';
import { getBoss, ensureQueue } from '../jobs/boss';
import { jobs } from '../jobs/definitions';
import { resolveForServers, type MappingRule, type ServerInfo } from './resolve';
import { loadMappings, loadTargetServers, readScanSettings } from './settings';
import { toServerForm } from './paths';

const BATCH = 500;

interface PendingRow {
  id: string;
  source: string;
  eventType: string | null;
  sourcePath: string;
  requestedServerIds: string[];
  requestedAt: Date;
}

interface WaitingRow {
  serverId: string;
  libraryKey: string;
  libraryName: string;
  path: string;
  sourcePath: string;
  source: string;
  eventType: string | null;
  requestCount: number;
  requestedAt: Date;
}

/** Routes every pending request; returns how many were routed. */
export async function routePendingScans(): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await routeBatch();
    total += n;
    if (n < BATCH) return total;
  }
}

async function routeBatch(): Promise<number> {
  const [settings, mappings, servers] = await Promise.all([readScanSettings(), loadMappings(), loadTargetServers()]);
  const created: { id: string; dueAt: Date }[] = [];
  const count = await db.$transaction(
    async (tx) => {
      const pending = await tx.$queryRaw<PendingRow[]>`
        SELECT "id", "source", "eventType", "sourcePath", "requestedServerIds", "requestedAt" FROM "Scan"
        WHERE "routedAt" IS NULL ORDER BY "requestedAt", "id" LIMIT ${BATCH} FOR UPDATE SKIP LOCKED`;
      if (pending.length === 0) return 0;
      const { waiting, skipped } = planRouting(pending, servers, mappings);
      if (waiting.length > 0) {
        const rows = await tx.$queryRaw<{ id: string; dueAt: Date; inserted: boolean }[]>`
          INSERT INTO "Scan" ("id", "source", "eventType", "sourcePath", "path", "serverId", "libraryKey", "libraryName", "status", "requestCount", "requestedAt", "routedAt", "dueAt")
          SELECT gen_random_uuid()::text, w.source, w."eventType", w."sourcePath", w.path, w."serverId", w."libraryKey", w."libraryName", 'queued', w."requestCount", w."requestedAt" AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC', (now() AT TIME ZONE 'UTC') + make_interval(secs => ${settings.debounceS}::int)
          FROM jsonb_to_recordset(${JSON.stringify(waiting)}::jsonb) AS w(source text, "eventType" text, "sourcePath" text, path text, "serverId" text, "libraryKey" text, "libraryName" text, "requestCount" int, "requestedAt" timestamptz)
          ON CONFLICT ("serverId", (COALESCE("libraryKey", '')), "path") WHERE "routedAt" IS NOT NULL AND "status" IN ('queued', 'retrying')
          DO UPDATE SET "requestCount" = "Scan"."requestCount" + EXCLUDED."requestCount",
                        "dueAt" = CASE WHEN "Scan"."status" = 'queued' THEN EXCLUDED."dueAt" ELSE "Scan"."dueAt" END,
                        "error" = CASE WHEN "Scan"."status" = 'queued' THEN NULL ELSE "Scan"."error" END
          RETURNING "id", "dueAt", (xmax = 0) AS inserted`;
        for (const r of rows) if (r.inserted) created.push({ id: r.id, dueAt: r.dueAt });
      }
      if (skipped.length > 0) {
        const now = new Date();
        await tx.scan.createMany({ data: skipped.map((s) => ({ ...s, status: 'skipped', routedAt: now, finishedAt: now })) });
      }
      await tx.scan.deleteMany({ where: { id: { in: pending.map((p) => p.id) } } });
      return pending.length;
    },
    { timeout: 60_000 },
  );
  if (created.length > 0) await enqueueScanRuns(created);
  return count;
}

/** Pure: what each pending request becomes. Requests for the same target folder in one batch merge here. */
export function planRouting(pending: PendingRow[], allServers: ServerInfo[], mappings: MappingRule[]) {
  const waiting = new Map<string, WaitingRow>();
  const skipped: { source: string; eventType: string | null; sourcePath: string; path: string; serverId: string | null; error: string; requestedAt: Date }[] = [];
  for (const req of pending) {
    const servers = req.requestedServerIds.length > 0 ? allServers.filter((s) => req.requestedServerIds.includes(s.id)) : allServers;
    if (servers.length === 0) {
      skipped.push({ source: req.source, eventType: req.eventType, sourcePath: req.sourcePath, path: req.sourcePath, serverId: null, error: 'No enabled media server to scan: add one under Servers.', requestedAt: req.requestedAt });
      continue;
    }
    for (const r of resolveForServers(req.sourcePath, servers, mappings)) {
      if (r.skipped) {
        skipped.push({ source: req.source, eventType: req.eventType, sourcePath: req.sourcePath, path: r.mappedPath, serverId: r.serverId, error: r.skipped, requestedAt: req.requestedAt });
        continue;
      }
      for (const t of r.targets) {
        const path = toServerForm(t.path, t.libraryRoot);
        const key = `${t.serverId}\u0000${t.libraryKey}\u0000${path}`;
        const prev = waiting.get(key);
        if (prev) {
          prev.requestCount += 1;
          continue;
        }
        waiting.set(key, { serverId: t.serverId, libraryKey: t.libraryKey, libraryName: t.libraryName, path, sourcePath: req.sourcePath, source: req.source, eventType: req.eventType, requestCount: 1, requestedAt: req.requestedAt });
      }
    }
  }
  return { waiting: [...waiting.values()], skipped };
}

/** One scan-run job per new scan, due at the end of its debounce window (one insert for the batch). */
export async function enqueueScanRuns(scans: { id: string; dueAt: Date }[]): Promise<void> {
  const boss = await getBoss();
  await ensureQueue(boss, jobs.scanRun.name, jobs.scanRun.queue);
  const q = jobs.scanRun.queue ?? {};
  for (let i = 0; i < scans.length; i += 1000) {
    await boss.insert(
      scans.slice(i, i + 1000).map((s) => ({
        id: randomUUID(),
        name: jobs.scanRun.name,
        data: { scanId: s.id },
        startAfter: s.dueAt,
        retryLimit: q.retryLimit,
        retryDelay: q.retryDelay,
        expireInSeconds: q.expireInSeconds,
      })),
    );
  }
}
