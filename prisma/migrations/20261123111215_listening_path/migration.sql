-- CreateEnum
CREATE TYPE "ChannelPurpose" AS ENUM ('digest', 'hope');

-- CreateEnum
CREATE TYPE "FeedbackSource" AS ENUM ('call_centre', 'web', 'social', 'store', 'survey', 'sales', 'other');

-- CreateEnum
CREATE TYPE "Severity" AS ENUM ('low', 'medium', 'high');

-- CreateEnum
CREATE TYPE "Sentiment" AS ENUM ('negative', 'neutral', 'positive');

-- CreateEnum
CREATE TYPE "ClassifiedBy" AS ENUM ('model', 'keywords', 'person');

-- CreateEnum
CREATE TYPE "IssueStatus" AS ENUM ('open', 'resolved', 'merged');

-- CreateEnum
CREATE TYPE "NoticeStatus" AS ENUM ('pending', 'sending', 'sent', 'undeliverable');

-- Keep existing digest subscriptions: the table gains a purpose rather than being replaced.
ALTER TABLE "digest_subscription" RENAME TO "channel_subscription";
ALTER TABLE "channel_subscription" RENAME CONSTRAINT "digest_subscription_pkey" TO "channel_subscription_pkey";
ALTER TABLE "channel_subscription" ADD COLUMN "purpose" "ChannelPurpose" NOT NULL DEFAULT 'digest';
ALTER TABLE "channel_subscription" DROP CONSTRAINT "channel_subscription_pkey", ADD CONSTRAINT "channel_subscription_pkey" PRIMARY KEY ("platform", "channel_id", "purpose");

-- CreateTable
CREATE TABLE "journey_stage" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "keywords" TEXT[],
    "position" INTEGER NOT NULL,
    "retired_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "journey_stage_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "feedback_category" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "keywords" TEXT[],
    "position" INTEGER NOT NULL,
    "retired_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "feedback_category_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "feedback" (
    "id" UUID NOT NULL,
    "number" SERIAL NOT NULL,
    "platform" "Platform" NOT NULL,
    "reporter_id" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "source" "FeedbackSource" NOT NULL,
    "severity" "Severity",
    "customer_id" UUID,
    "segment" TEXT,
    "message_link" TEXT,
    "stage_id" UUID,
    "category_id" UUID,
    "sentiment" "Sentiment",
    "summary" TEXT,
    "classified_by" "ClassifiedBy",
    "needs_reclassification" BOOLEAN NOT NULL DEFAULT false,
    "issue_id" UUID,
    "logged_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "feedback_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "issue" (
    "id" UUID NOT NULL,
    "number" SERIAL NOT NULL,
    "stage_id" UUID NOT NULL,
    "category_id" UUID NOT NULL,
    "title" TEXT NOT NULL,
    "status" "IssueStatus" NOT NULL DEFAULT 'open',
    "merged_into_id" UUID,
    "opened_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "issue_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "issue_resolution" (
    "id" UUID NOT NULL,
    "issue_id" UUID NOT NULL,
    "what_changed" TEXT NOT NULL,
    "platform" "Platform" NOT NULL,
    "resolved_by" TEXT NOT NULL,
    "resolved_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "reopened_at" TIMESTAMPTZ(3),

    CONSTRAINT "issue_resolution_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "notice" (
    "id" UUID NOT NULL,
    "key" TEXT NOT NULL,
    "platform" "Platform" NOT NULL,
    "target" TEXT NOT NULL,
    "to_user" BOOLEAN NOT NULL,
    "kind" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "status" "NoticeStatus" NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "claimed_by" TEXT,
    "not_before" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "message_id" TEXT,
    "last_error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sent_at" TIMESTAMPTZ(3),

    CONSTRAINT "notice_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "journey_stage_name_key" ON "journey_stage"("name");

-- CreateIndex
CREATE UNIQUE INDEX "feedback_category_name_key" ON "feedback_category"("name");

-- CreateIndex
CREATE UNIQUE INDEX "feedback_number_key" ON "feedback"("number");

-- CreateIndex
CREATE INDEX "feedback_logged_at_idx" ON "feedback"("logged_at");

-- CreateIndex
CREATE INDEX "feedback_issue_id_idx" ON "feedback"("issue_id");

-- CreateIndex
CREATE INDEX "feedback_needs_reclassification_idx" ON "feedback"("needs_reclassification");

-- CreateIndex
CREATE UNIQUE INDEX "issue_number_key" ON "issue"("number");

-- CreateIndex
CREATE INDEX "issue_stage_id_category_id_status_idx" ON "issue"("stage_id", "category_id", "status");

-- CreateIndex
CREATE INDEX "issue_resolution_resolved_at_idx" ON "issue_resolution"("resolved_at");

-- CreateIndex
CREATE UNIQUE INDEX "notice_key_key" ON "notice"("key");

-- CreateIndex
CREATE INDEX "notice_status_not_before_idx" ON "notice"("status", "not_before");

-- CreateIndex
CREATE INDEX "notice_kind_sent_at_idx" ON "notice"("kind", "sent_at");

-- AddForeignKey
ALTER TABLE "feedback" ADD CONSTRAINT "feedback_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customer"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "feedback" ADD CONSTRAINT "feedback_stage_id_fkey" FOREIGN KEY ("stage_id") REFERENCES "journey_stage"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "feedback" ADD CONSTRAINT "feedback_category_id_fkey" FOREIGN KEY ("category_id") REFERENCES "feedback_category"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "feedback" ADD CONSTRAINT "feedback_issue_id_fkey" FOREIGN KEY ("issue_id") REFERENCES "issue"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "issue" ADD CONSTRAINT "issue_stage_id_fkey" FOREIGN KEY ("stage_id") REFERENCES "journey_stage"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "issue" ADD CONSTRAINT "issue_category_id_fkey" FOREIGN KEY ("category_id") REFERENCES "feedback_category"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "issue_resolution" ADD CONSTRAINT "issue_resolution_issue_id_fkey" FOREIGN KEY ("issue_id") REFERENCES "issue"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
