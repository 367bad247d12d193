-- AlterTable
ALTER TABLE "User" ADD COLUMN     "mediaIdentity" TEXT;

-- AlterTable
ALTER TABLE "MediaServer" ADD COLUMN     "mediaUserSignIn" BOOLEAN NOT NULL DEFAULT false;

-- CreateIndex
CREATE UNIQUE INDEX "User_mediaIdentity_key" ON "User"("mediaIdentity");
