-- AlterTable
ALTER TABLE "Video" ADD COLUMN     "liveAt" TIMESTAMP(3),
ADD COLUMN     "liveAttempt" TEXT;

-- CreateTable
CREATE TABLE "VideoLiveKey" (
    "videoId" TEXT NOT NULL,
    "attempt" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "width" INTEGER NOT NULL,
    "height" INTEGER NOT NULL,
    "bandwidth" INTEGER NOT NULL,
    "codecs" TEXT NOT NULL,
    "keyEnc" TEXT NOT NULL,
    "ivHex" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "VideoLiveKey_pkey" PRIMARY KEY ("videoId","attempt","name")
);

-- CreateTable
CREATE TABLE "VideoWatchEvent" (
    "id" BIGSERIAL NOT NULL,
    "videoId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "viewId" TEXT NOT NULL,
    "positionS" DOUBLE PRECISION NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "VideoWatchEvent_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "VideoWatchEvent_videoId_viewId_at_idx" ON "VideoWatchEvent"("videoId", "viewId", "at");

-- CreateIndex
CREATE INDEX "VideoWatchEvent_userId_at_idx" ON "VideoWatchEvent"("userId", "at");

-- AddForeignKey
ALTER TABLE "VideoLiveKey" ADD CONSTRAINT "VideoLiveKey_videoId_fkey" FOREIGN KEY ("videoId") REFERENCES "Video"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "VideoWatchEvent" ADD CONSTRAINT "VideoWatchEvent_videoId_fkey" FOREIGN KEY ("videoId") REFERENCES "Video"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Search: a stored tsvector (title weight A, the rest B) replaces the expression index, so ranking a
-- broad prefix match reads the vector instead of re-parsing every matching row's text.
DROP INDEX IF EXISTS "Video_search_idx";
ALTER TABLE "Video" ADD COLUMN "searchVector" tsvector GENERATED ALWAYS AS (setweight(to_tsvector('simple', "title"), 'A') || setweight(to_tsvector('simple', "searchText"), 'B')) STORED;
CREATE INDEX "Video_searchVector_idx" ON "Video" USING GIN ("searchVector");
