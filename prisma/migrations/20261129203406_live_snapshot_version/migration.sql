-- AlterTable
ALTER TABLE "MediaServer" ADD COLUMN     "snapshotVersion" INTEGER NOT NULL DEFAULT 0;
