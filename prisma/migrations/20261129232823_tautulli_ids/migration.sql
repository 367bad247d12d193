-- CreateTable
CREATE TABLE "TautulliId" (
    "id" SERIAL NOT NULL,
    "kind" TEXT NOT NULL,
    "key" TEXT NOT NULL,

    CONSTRAINT "TautulliId_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "TautulliId_kind_key_key" ON "TautulliId"("kind", "key");
ALTER SEQUENCE "TautulliId_id_seq" RESTART WITH 1000000000;
