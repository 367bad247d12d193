-- DropIndex
DROP INDEX "Video_sha256_key";

-- CreateIndex
CREATE UNIQUE INDEX "Video_ownerId_sha256_key" ON "Video"("ownerId", "sha256");
