-- CreateEnum
CREATE TYPE "PlaySource" AS ENUM ('poll', 'webhook', 'import');

-- CreateEnum
CREATE TYPE "ImportStatus" AS ENUM ('queued', 'running', 'done', 'failed');

-- CreateTable
CREATE TABLE "Play" (
    "id" TEXT NOT NULL,
    "serverId" TEXT NOT NULL,
    "serverName" TEXT NOT NULL,
    "sessionKey" TEXT,
    "itemKey" TEXT,
    "mediaUserId" TEXT,
    "mediaUser" TEXT,
    "title" TEXT NOT NULL,
    "grandparentTitle" TEXT,
    "parentIndex" INTEGER,
    "index" INTEGER,
    "mediaType" TEXT NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL,
    "stoppedAt" TIMESTAMP(3),
    "lastSeenAt" TIMESTAMP(3) NOT NULL,
    "pausedS" INTEGER NOT NULL DEFAULT 0,
    "pausedSince" TIMESTAMP(3),
    "watchedS" INTEGER NOT NULL DEFAULT 0,
    "durationS" INTEGER,
    "positionS" INTEGER,
    "progressPct" DOUBLE PRECISION,
    "completed" BOOLEAN NOT NULL DEFAULT false,
    "decision" TEXT,
    "player" TEXT,
    "platform" TEXT,
    "product" TEXT,
    "ipAddress" TEXT,
    "isLocal" BOOLEAN,
    "library" TEXT,
    "source" "PlaySource" NOT NULL,
    "detail" JSONB NOT NULL DEFAULT '{}',
    "importKey" TEXT,

    CONSTRAINT "Play_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TautulliConnection" (
    "id" TEXT NOT NULL DEFAULT 'default',
    "url" TEXT NOT NULL,
    "apiKeyEnc" TEXT NOT NULL,
    "lastRowId" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "TautulliConnection_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "HistoryImport" (
    "id" TEXT NOT NULL,
    "source" TEXT NOT NULL DEFAULT 'tautulli',
    "status" "ImportStatus" NOT NULL DEFAULT 'queued',
    "url" TEXT NOT NULL,
    "apiKeyEnc" TEXT,
    "imported" INTEGER NOT NULL DEFAULT 0,
    "skipped" INTEGER NOT NULL DEFAULT 0,
    "total" INTEGER NOT NULL DEFAULT 0,
    "offset" INTEGER NOT NULL DEFAULT 0,
    "afterRowId" INTEGER NOT NULL DEFAULT 0,
    "maxRowId" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "createdById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "HistoryImport_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Play_importKey_key" ON "Play"("importKey");

-- CreateIndex
CREATE INDEX "Play_startedAt_id_idx" ON "Play"("startedAt", "id");

-- CreateIndex
CREATE INDEX "Play_serverId_startedAt_idx" ON "Play"("serverId", "startedAt");

-- CreateIndex
CREATE INDEX "Play_mediaUser_startedAt_idx" ON "Play"("mediaUser", "startedAt");

-- CreateIndex
CREATE INDEX "Play_serverId_stoppedAt_idx" ON "Play"("serverId", "stoppedAt");

-- allowedMediaUsers becomes (server, media user) pairs "<serverId>:<externalId>" ("<serverId>:*" = every
-- user of that server). A free-text name that matches exactly one synced media user becomes its pair;
-- other values (ambiguous or unknown names) are kept as they were and match no play.
UPDATE "User" AS u SET "allowedMediaUsers" = (
  SELECT COALESCE(array_agg(COALESCE(
    (SELECT m."serverId" || ':' || m."externalId" FROM "MediaUser" m WHERE m."name" = v.name
       AND (SELECT count(*) FROM "MediaUser" m2 WHERE m2."name" = v.name) = 1),
    v.name) ORDER BY v.n), '{}')
  FROM unnest(u."allowedMediaUsers") WITH ORDINALITY AS v(name, n)
)
WHERE cardinality(u."allowedMediaUsers") > 0;
