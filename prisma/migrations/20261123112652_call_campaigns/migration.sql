-- CreateEnum
CREATE TYPE "CampaignStatus" AS ENUM ('active', 'paused', 'closed');

-- CreateEnum
CREATE TYPE "CallStatus" AS ENUM ('open', 'reached', 'unreachable');

-- CreateEnum
CREATE TYPE "MightReturn" AS ENUM ('yes', 'no', 'maybe');

-- AlterTable
ALTER TABLE "customer" ADD COLUMN     "contact" TEXT;

-- CreateTable
CREATE TABLE "campaign" (
    "id" UUID NOT NULL,
    "number" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "platform" "Platform" NOT NULL,
    "started_by" TEXT NOT NULL,
    "lost_from" DATE NOT NULL,
    "lost_until" DATE NOT NULL,
    "segments" TEXT[],
    "min_value" DECIMAL(14,2) NOT NULL DEFAULT 0,
    "due_on" DATE NOT NULL,
    "guidance" TEXT NOT NULL,
    "status" "CampaignStatus" NOT NULL DEFAULT 'active',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "closed_at" TIMESTAMPTZ(3),

    CONSTRAINT "campaign_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "campaign_call" (
    "id" UUID NOT NULL,
    "campaign_id" UUID NOT NULL,
    "customer_id" UUID NOT NULL,
    "segment" TEXT NOT NULL,
    "value_lost" DECIMAL(14,2) NOT NULL,
    "lost_at" TIMESTAMPTZ(3) NOT NULL,
    "caller_id" TEXT NOT NULL,
    "part" INTEGER NOT NULL DEFAULT 0,
    "status" "CallStatus" NOT NULL DEFAULT 'open',
    "reason_category_id" UUID,
    "reason_other" TEXT,
    "stage_id" UUID,
    "verbatim" TEXT,
    "might_return" "MightReturn",
    "follow_up_owner" TEXT,
    "logged_by" TEXT,
    "logged_at" TIMESTAMPTZ(3),

    CONSTRAINT "campaign_call_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "campaign_number_key" ON "campaign"("number");

-- CreateIndex
CREATE INDEX "campaign_call_campaign_id_caller_id_idx" ON "campaign_call"("campaign_id", "caller_id");

-- CreateIndex
CREATE INDEX "campaign_call_logged_at_idx" ON "campaign_call"("logged_at");

-- CreateIndex
CREATE UNIQUE INDEX "campaign_call_campaign_id_customer_id_key" ON "campaign_call"("campaign_id", "customer_id");

-- AddForeignKey
ALTER TABLE "campaign_call" ADD CONSTRAINT "campaign_call_campaign_id_fkey" FOREIGN KEY ("campaign_id") REFERENCES "campaign"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "campaign_call" ADD CONSTRAINT "campaign_call_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customer"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "campaign_call" ADD CONSTRAINT "campaign_call_reason_category_id_fkey" FOREIGN KEY ("reason_category_id") REFERENCES "feedback_category"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "campaign_call" ADD CONSTRAINT "campaign_call_stage_id_fkey" FOREIGN KEY ("stage_id") REFERENCES "journey_stage"("id") ON DELETE SET NULL ON UPDATE CASCADE;
