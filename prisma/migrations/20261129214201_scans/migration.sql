-- CreateTable
CREATE TABLE "Scan" (
    "id" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "eventType" TEXT,
    "sourcePath" TEXT NOT NULL,
    "path" TEXT NOT NULL,
    "serverId" TEXT,
    "libraryKey" TEXT,
    "libraryName" TEXT,
    "status" TEXT NOT NULL DEFAULT 'queued',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "method" TEXT,
    "requestCount" INTEGER NOT NULL DEFAULT 1,
    "requestedServerIds" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "requestedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "routedAt" TIMESTAMP(3),
    "dueAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),
    "durationMs" INTEGER,

    CONSTRAINT "Scan_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PathMapping" (
    "id" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "from" TEXT NOT NULL,
    "to" TEXT NOT NULL,
    "serverId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PathMapping_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ScanSettings" (
    "id" TEXT NOT NULL DEFAULT 'default',
    "debounceS" INTEGER NOT NULL DEFAULT 10,
    "retryBaseS" INTEGER NOT NULL DEFAULT 2,
    "retryMaxS" INTEGER NOT NULL DEFAULT 300,
    "maxAttempts" INTEGER NOT NULL DEFAULT 5,
    "anchorFiles" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "rcloneUrl" TEXT,
    "rcloneRoot" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ScanSettings_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ScanSchedule" (
    "id" TEXT NOT NULL,
    "path" TEXT NOT NULL,
    "cron" TEXT NOT NULL,
    "serverIds" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "lastRunAt" TIMESTAMP(3),
    "nextRunAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ScanSchedule_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Scan_requestedAt_id_idx" ON "Scan"("requestedAt", "id");

-- CreateIndex
CREATE INDEX "Scan_status_dueAt_idx" ON "Scan"("status", "dueAt");

-- CreateIndex
CREATE INDEX "Scan_routedAt_idx" ON "Scan"("routedAt");

-- CreateIndex
CREATE INDEX "Scan_serverId_requestedAt_idx" ON "Scan"("serverId", "requestedAt");

-- CreateIndex
CREATE INDEX "PathMapping_position_idx" ON "PathMapping"("position");

-- AddForeignKey
ALTER TABLE "Scan" ADD CONSTRAINT "Scan_serverId_fkey" FOREIGN KEY ("serverId") REFERENCES "MediaServer"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PathMapping" ADD CONSTRAINT "PathMapping_serverId_fkey" FOREIGN KEY ("serverId") REFERENCES "MediaServer"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Debounce: at most one waiting scan per target library and folder, new requests merge into it
-- (INSERT ON CONFLICT in lib/scans/route-requests.ts). Prisma's schema cannot express a partial index.
CREATE UNIQUE INDEX "Scan_waiting_key" ON "Scan" ("serverId", (COALESCE("libraryKey", '')), "path")
  WHERE "routedAt" IS NOT NULL AND "status" IN ('queued', 'retrying');
