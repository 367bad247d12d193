-- CreateTable
CREATE TABLE "AnalyticsHour" (
    "bucket" TIMESTAMP(3) NOT NULL,
    "serverId" TEXT NOT NULL,
    "mediaClass" TEXT NOT NULL,
    "plays" INTEGER NOT NULL,
    "watchS" BIGINT NOT NULL,
    "completed" INTEGER NOT NULL,
    "transcodes" INTEGER NOT NULL,

    CONSTRAINT "AnalyticsHour_pkey" PRIMARY KEY ("serverId","bucket","mediaClass")
);

-- CreateTable
CREATE TABLE "AnalyticsDim" (
    "kind" TEXT NOT NULL,
    "grain" TEXT NOT NULL,
    "bucket" TIMESTAMP(3) NOT NULL,
    "serverId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "plays" INTEGER NOT NULL,
    "watchS" BIGINT NOT NULL,

    CONSTRAINT "AnalyticsDim_pkey" PRIMARY KEY ("kind","grain","serverId","bucket","name")
);

-- CreateTable
CREATE TABLE "AnalyticsConcurrency" (
    "serverKey" TEXT NOT NULL,
    "bucket" TIMESTAMP(3) NOT NULL,
    "directplay" INTEGER NOT NULL,
    "directstream" INTEGER NOT NULL,
    "transcode" INTEGER NOT NULL,
    "total" INTEGER NOT NULL,

    CONSTRAINT "AnalyticsConcurrency_pkey" PRIMARY KEY ("serverKey","bucket")
);

-- CreateTable
CREATE TABLE "AnalyticsDirtyHour" (
    "hour" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "AnalyticsDirtyHour_pkey" PRIMARY KEY ("hour")
);

-- CreateTable
CREATE TABLE "AnalyticsState" (
    "id" TEXT NOT NULL DEFAULT 'default',
    "watermark" TIMESTAMP(3),
    "refreshedAt" TIMESTAMP(3),
    "rebuiltAt" TIMESTAMP(3),

    CONSTRAINT "AnalyticsState_pkey" PRIMARY KEY ("id")
);

-- Not expressible in the Prisma schema (kept here). No semicolon may appear inside a statement or a
-- comment here: the migrator splits the script on every one (the function bodies write it as \073).

-- Open plays are always read raw, and so are the viewers' (server, media user) scopes.
CREATE INDEX "Play_open_startedAt_idx" ON "Play" ("startedAt") WHERE "stoppedAt" IS NULL;
CREATE INDEX "Play_serverId_mediaUserId_startedAt_idx" ON "Play" ("serverId", "mediaUserId", "startedAt");

INSERT INTO "AnalyticsState" ("id") VALUES ('default') ON CONFLICT DO NOTHING;

-- Every write of a closed play (insert, update, delete: polls, webhooks, imports, retention) marks the
-- UTC hours it spans (at most a day, as concurrency clips a play to 24 h) dirty, once per statement.
CREATE FUNCTION analytics_dirty_new() RETURNS trigger LANGUAGE plpgsql AS E'BEGIN INSERT INTO "AnalyticsDirtyHour" ("hour") SELECT DISTINCT h FROM analytics_new_rows r, generate_series(date_trunc(''hour'', r."startedAt"), date_trunc(''hour'', GREATEST(r."startedAt", LEAST(r."stoppedAt", r."startedAt" + interval ''1 day''))), interval ''1 hour'') h WHERE r."stoppedAt" IS NOT NULL ON CONFLICT DO NOTHING\073 RETURN NULL\073 END';
CREATE FUNCTION analytics_dirty_old() RETURNS trigger LANGUAGE plpgsql AS E'BEGIN INSERT INTO "AnalyticsDirtyHour" ("hour") SELECT DISTINCT h FROM analytics_old_rows r, generate_series(date_trunc(''hour'', r."startedAt"), date_trunc(''hour'', GREATEST(r."startedAt", LEAST(r."stoppedAt", r."startedAt" + interval ''1 day''))), interval ''1 hour'') h WHERE r."stoppedAt" IS NOT NULL ON CONFLICT DO NOTHING\073 RETURN NULL\073 END';

CREATE TRIGGER "Play_analytics_insert" AFTER INSERT ON "Play" REFERENCING NEW TABLE AS analytics_new_rows FOR EACH STATEMENT EXECUTE FUNCTION analytics_dirty_new();
CREATE TRIGGER "Play_analytics_update_new" AFTER UPDATE ON "Play" REFERENCING NEW TABLE AS analytics_new_rows FOR EACH STATEMENT EXECUTE FUNCTION analytics_dirty_new();
CREATE TRIGGER "Play_analytics_update_old" AFTER UPDATE ON "Play" REFERENCING OLD TABLE AS analytics_old_rows FOR EACH STATEMENT EXECUTE FUNCTION analytics_dirty_old();
CREATE TRIGGER "Play_analytics_delete" AFTER DELETE ON "Play" REFERENCING OLD TABLE AS analytics_old_rows FOR EACH STATEMENT EXECUTE FUNCTION analytics_dirty_old();
