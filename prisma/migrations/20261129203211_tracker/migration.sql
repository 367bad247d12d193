-- AlterTable
ALTER TABLE "ApiToken" ADD COLUMN     "scopes" TEXT[] DEFAULT ARRAY['all']::TEXT[];

-- CreateTable
CREATE TABLE "TrackerSession" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL,
    "endedAt" TIMESTAMP(3),
    "targetS" DOUBLE PRECISION NOT NULL DEFAULT 330,
    "currentStartedAt" TIMESTAMP(3),
    "pausedAt" TIMESTAMP(3),
    "pausedMs" INTEGER NOT NULL DEFAULT 0,
    "lastEventType" TEXT,
    "lastEventAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "TrackerSession_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TrackerItem" (
    "id" TEXT NOT NULL,
    "sessionId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "index" INTEGER NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL,
    "endedAt" TIMESTAMP(3) NOT NULL,
    "rawMs" INTEGER NOT NULL,
    "activeMs" INTEGER NOT NULL,
    "pausedMs" INTEGER NOT NULL,

    CONSTRAINT "TrackerItem_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "TrackerSession_userId_startedAt_idx" ON "TrackerSession"("userId", "startedAt");

-- CreateIndex
CREATE INDEX "TrackerSession_userId_endedAt_idx" ON "TrackerSession"("userId", "endedAt");

-- CreateIndex
CREATE INDEX "TrackerItem_userId_endedAt_idx" ON "TrackerItem"("userId", "endedAt");

-- CreateIndex
CREATE UNIQUE INDEX "TrackerItem_sessionId_index_key" ON "TrackerItem"("sessionId", "index");

-- AddForeignKey
ALTER TABLE "TrackerItem" ADD CONSTRAINT "TrackerItem_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "TrackerSession"("id") ON DELETE CASCADE ON UPDATE CASCADE;
