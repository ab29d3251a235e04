-- CreateEnum
CREATE TYPE "MetricDirection" AS ENUM ('higher', 'lower');

-- CreateEnum
CREATE TYPE "MomentOwnerKind" AS ENUM ('person', 'channel');

-- CreateEnum
CREATE TYPE "WarningKind" AS ENUM ('belowStandard', 'recovered', 'complaintSpike');

-- AlterEnum
ALTER TYPE "ChannelPurpose" ADD VALUE 'warnings';

-- CreateTable
CREATE TABLE "moment" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "stage_id" UUID NOT NULL,
    "metric" TEXT NOT NULL,
    "unit" TEXT NOT NULL,
    "better" "MetricDirection" NOT NULL,
    "standard" DOUBLE PRECISION NOT NULL,
    "owner_kind" "MomentOwnerKind" NOT NULL,
    "owner_platform" "Platform" NOT NULL,
    "owner_id" TEXT NOT NULL,
    "owner_name" TEXT,
    "position" INTEGER NOT NULL,
    "retired_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "below_since" TIMESTAMPTZ(3),

    CONSTRAINT "moment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "metric_reading" (
    "id" UUID NOT NULL,
    "external_id" TEXT NOT NULL,
    "moment_id" UUID NOT NULL,
    "value" DOUBLE PRECISION NOT NULL,
    "measured_at" TIMESTAMPTZ(3) NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "metric_reading_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "warning" (
    "id" UUID NOT NULL,
    "key" TEXT NOT NULL,
    "kind" "WarningKind" NOT NULL,
    "moment_id" UUID,
    "stage_id" UUID NOT NULL,
    "category_id" UUID,
    "period_start" DATE NOT NULL,
    "raised_at" TIMESTAMPTZ(3) NOT NULL,
    "content" JSONB NOT NULL,
    "acknowledged_by" TEXT,
    "acknowledged_at" TIMESTAMPTZ(3),

    CONSTRAINT "warning_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "moment_name_key" ON "moment"("name");

-- CreateIndex
CREATE UNIQUE INDEX "metric_reading_external_id_key" ON "metric_reading"("external_id");

-- CreateIndex
CREATE INDEX "metric_reading_moment_id_measured_at_idx" ON "metric_reading"("moment_id", "measured_at");

-- CreateIndex
CREATE UNIQUE INDEX "warning_key_key" ON "warning"("key");

-- CreateIndex
CREATE INDEX "warning_period_start_kind_idx" ON "warning"("period_start", "kind");

-- AddForeignKey
ALTER TABLE "moment" ADD CONSTRAINT "moment_stage_id_fkey" FOREIGN KEY ("stage_id") REFERENCES "journey_stage"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "metric_reading" ADD CONSTRAINT "metric_reading_moment_id_fkey" FOREIGN KEY ("moment_id") REFERENCES "moment"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
