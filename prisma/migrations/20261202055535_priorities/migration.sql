-- CreateTable
CREATE TABLE "priority" (
    "id" UUID NOT NULL,
    "number" SERIAL NOT NULL,
    "title" TEXT NOT NULL,
    "owner_platform" "Platform" NOT NULL,
    "owner_id" TEXT NOT NULL,
    "owner_name" TEXT,
    "stop_doing" TEXT NOT NULL,
    "issue_ids" UUID[],
    "stage_ids" UUID[],
    "moment_ids" UUID[],
    "quiet_weeks" INTEGER NOT NULL DEFAULT 4,
    "started_on" DATE NOT NULL,
    "created_platform" "Platform" NOT NULL,
    "created_by" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "done_at" TIMESTAMPTZ(3),
    "done_by" TEXT,

    CONSTRAINT "priority_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "priority_number_key" ON "priority"("number");

-- CreateIndex
CREATE INDEX "priority_done_at_idx" ON "priority"("done_at");
