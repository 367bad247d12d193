-- CreateEnum
CREATE TYPE "MediaServerType" AS ENUM ('plex', 'jellyfin', 'emby');

-- CreateEnum
CREATE TYPE "ServerHealth" AS ENUM ('unknown', 'ok', 'degraded', 'down');

-- CreateEnum
CREATE TYPE "RuleKind" AS ENUM ('transcode_4k', 'stream_limit');

-- CreateTable
CREATE TABLE "MediaServer" (
    "id" TEXT NOT NULL,
    "type" "MediaServerType" NOT NULL,
    "name" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "tokenEnc" TEXT NOT NULL,
    "machineId" TEXT,
    "version" TEXT,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "pollIntervalS" INTEGER NOT NULL DEFAULT 10,
    "health" "ServerHealth" NOT NULL DEFAULT 'unknown',
    "lastError" TEXT,
    "consecutiveFailures" INTEGER NOT NULL DEFAULT 0,
    "lastPolledAt" TIMESTAMP(3),
    "lastOkAt" TIMESTAMP(3),
    "nextPollAt" TIMESTAMP(3),
    "usersSyncedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "MediaServer_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LiveSession" (
    "id" TEXT NOT NULL,
    "serverId" TEXT NOT NULL,
    "sessionKey" TEXT NOT NULL,
    "data" JSONB NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LiveSession_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "BandwidthSample" (
    "id" BIGSERIAL NOT NULL,
    "serverId" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "totalKbps" INTEGER NOT NULL,
    "lanKbps" INTEGER NOT NULL,
    "wanKbps" INTEGER NOT NULL,
    "streams" INTEGER NOT NULL,
    "transcodes" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "BandwidthSample_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MediaUser" (
    "id" TEXT NOT NULL,
    "serverId" TEXT NOT NULL,
    "externalId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "isAdmin" BOOLEAN NOT NULL DEFAULT false,
    "isDisabled" BOOLEAN NOT NULL DEFAULT false,
    "syncedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "MediaUser_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MediaLibrary" (
    "id" TEXT NOT NULL,
    "serverId" TEXT NOT NULL,
    "externalId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "type" TEXT,
    "paths" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "syncedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "MediaLibrary_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ServerRule" (
    "id" TEXT NOT NULL,
    "kind" "RuleKind" NOT NULL,
    "name" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "serverIds" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "message" TEXT NOT NULL DEFAULT 'This stream was stopped by the server''s rules.',
    "graceSeconds" INTEGER NOT NULL DEFAULT 30,
    "cooldownSeconds" INTEGER NOT NULL DEFAULT 600,
    "maxStreams" INTEGER NOT NULL DEFAULT 2,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ServerRule_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RulePending" (
    "ruleId" TEXT NOT NULL,
    "serverId" TEXT NOT NULL,
    "sessionKey" TEXT NOT NULL,
    "firstSeen" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RulePending_pkey" PRIMARY KEY ("ruleId","serverId","sessionKey")
);

-- CreateTable
CREATE TABLE "RuleFiring" (
    "id" TEXT NOT NULL,
    "ruleId" TEXT NOT NULL,
    "serverId" TEXT NOT NULL,
    "sessionKey" TEXT NOT NULL,
    "mediaUser" TEXT,
    "ok" BOOLEAN NOT NULL DEFAULT true,
    "detail" TEXT,
    "firedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RuleFiring_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "LiveSession_serverId_sessionKey_key" ON "LiveSession"("serverId", "sessionKey");

-- CreateIndex
CREATE INDEX "BandwidthSample_serverId_at_idx" ON "BandwidthSample"("serverId", "at");

-- CreateIndex
CREATE UNIQUE INDEX "MediaUser_serverId_externalId_key" ON "MediaUser"("serverId", "externalId");

-- CreateIndex
CREATE UNIQUE INDEX "MediaLibrary_serverId_externalId_key" ON "MediaLibrary"("serverId", "externalId");

-- CreateIndex
CREATE INDEX "RuleFiring_ruleId_serverId_firedAt_idx" ON "RuleFiring"("ruleId", "serverId", "firedAt");

-- AddForeignKey
ALTER TABLE "LiveSession" ADD CONSTRAINT "LiveSession_serverId_fkey" FOREIGN KEY ("serverId") REFERENCES "MediaServer"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BandwidthSample" ADD CONSTRAINT "BandwidthSample_serverId_fkey" FOREIGN KEY ("serverId") REFERENCES "MediaServer"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MediaUser" ADD CONSTRAINT "MediaUser_serverId_fkey" FOREIGN KEY ("serverId") REFERENCES "MediaServer"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MediaLibrary" ADD CONSTRAINT "MediaLibrary_serverId_fkey" FOREIGN KEY ("serverId") REFERENCES "MediaServer"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RulePending" ADD CONSTRAINT "RulePending_ruleId_fkey" FOREIGN KEY ("ruleId") REFERENCES "ServerRule"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RuleFiring" ADD CONSTRAINT "RuleFiring_ruleId_fkey" FOREIGN KEY ("ruleId") REFERENCES "ServerRule"("id") ON DELETE CASCADE ON UPDATE CASCADE;
