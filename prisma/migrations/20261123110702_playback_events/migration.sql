-- CreateEnum
CREATE TYPE "PlaybackEventKind" AS ENUM ('start', 'pause', 'resume', 'stop');

-- CreateTable
CREATE TABLE "PlaybackEvent" (
    "id" BIGSERIAL NOT NULL,
    "serverId" TEXT NOT NULL,
    "sessionKey" TEXT NOT NULL,
    "kind" "PlaybackEventKind" NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "mediaUser" TEXT,
    "progressMs" INTEGER NOT NULL DEFAULT 0,
    "data" JSONB NOT NULL,

    CONSTRAINT "PlaybackEvent_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "PlaybackEvent_serverId_at_idx" ON "PlaybackEvent"("serverId", "at");

-- CreateIndex
CREATE INDEX "PlaybackEvent_at_idx" ON "PlaybackEvent"("at");

-- AddForeignKey
ALTER TABLE "PlaybackEvent" ADD CONSTRAINT "PlaybackEvent_serverId_fkey" FOREIGN KEY ("serverId") REFERENCES "MediaServer"("id") ON DELETE CASCADE ON UPDATE CASCADE;
